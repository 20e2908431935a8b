//! The `vetted` command line: parse arguments, run a library command, map the
//! outcome to an exit code (0 clean, 1 findings at or above --fail-on, 2 usage,
//! I/O or git error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use vetted::console::{Inert, Style};
use vetted::diag::{Severity, Tally};
use vetted::report::{self, Format, PathDisplay};
use vetted::{Error, RegistryOptions, say};

// Parsing and diffing thousands of small TOML files is allocation-heavy;
// mimalloc cuts the history walk's allocator time markedly over glibc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "vetted",
    version,
    about = "Validate a medtech vendor registry and build its compliance site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// Registry folder (default: ./registry, or . when it holds vetted.toml)
    #[arg(long, global = true)]
    registry: Option<PathBuf>,
    /// Date to assess against, YYYY-MM-DD (default: today)
    #[arg(long, env = "VETTED_TODAY", global = true)]
    today: Option<String>,
    /// Worker threads (default: one per core; 1 runs sequentially)
    #[arg(long, short = 'j', global = true)]
    jobs: Option<usize>,
    /// Read the registry as it stood at this git revision instead of the working folder
    #[arg(long, global = true)]
    rev: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the registry and report every problem, for people and for CI
    Check {
        #[command(flatten)]
        common: Common,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit 1 when a diagnostic at or above this severity is reported
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// Validate, assess and render the static compliance site
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder, replaced atomically (default: public)
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Theme folder whose files override the embedded default theme one by one
        /// (default: themes/<site.theme or default> next to the registry, when present)
        #[arg(long)]
        theme_dir: Option<PathBuf>,
        /// Cache folder for the history walk; delete it at any time
        #[arg(long, default_value = ".vetted-cache")]
        cache_dir: PathBuf,
    },
    /// Preview the site on 127.0.0.1, rebuilding when the registry or theme changes
    Serve {
        #[command(flatten)]
        common: Common,
        /// Port on 127.0.0.1 (0 picks a free one)
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Output folder (default: public)
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// Theme folder overriding the embedded default theme file by file
        #[arg(long)]
        theme_dir: Option<PathBuf>,
    },
    /// The semantic change between two revisions, for a pull-request comment
    Diff {
        /// Base revision (e.g. origin/main)
        base: String,
        /// Head revision (default: the working tree)
        head: Option<String>,
        #[command(flatten)]
        common: Common,
        /// Output format
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// Exit 1 when the change introduces a problem at or above this severity
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
    },
    /// Walk the registry's git history and summarise (or print as JSON) what changed
    History {
        #[command(flatten)]
        common: Common,
        /// Cache folder for what the walk learns (default: .vetted-cache)
        #[arg(long, default_value = ".vetted-cache")]
        cache_dir: PathBuf,
        /// Walk everything again, without reading or writing the cache
        #[arg(long)]
        no_cache: bool,
        /// Print every change as JSON instead of a summary
        #[arg(long)]
        json: bool,
    },
    /// Manage the site theme
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Subcommand)]
enum ThemeCommand {
    /// Write the default theme's files out for editing (never overwrites)
    Eject {
        /// Destination (default: themes/default next to the registry)
        dir: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            say!("error: {e}");
            if let Error::Git(m) = &e
                && m.starts_with("cannot read")
            {
                say!(
                    "  = help: the repository's objects could not be read: `git fsck` names the damaged ones, \
                     and a fresh clone (or `git fetch` from a good copy) restores them; a build that stops here \
                     leaves the published site as it was"
                );
            }
            ExitCode::from(2)
        }
    }
}

/// The registry to read, and the folder that holds a revision's copy (kept
/// alive as long as the options are used).
struct Opened {
    opts: RegistryOptions,
    /// The registry folder as the user named it, for paths in messages.
    shown: PathBuf,
    _rev_copy: Option<tempfile::TempDir>,
}

fn set_jobs(jobs: Option<usize>) -> Result<(), Error> {
    if let Some(j) = jobs {
        if j == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global()
            .map_err(|e| Error::Usage(format!("cannot start {j} threads: {e}")))?;
    }
    Ok(())
}

fn today(c: &Common) -> Result<jiff::civil::Date, Error> {
    match &c.today {
        Some(s) => vetted::parse_date(s),
        None => Ok(jiff::Zoned::now().date()),
    }
}

/// Materialise `rev` of the registry into a temporary folder.
fn at_revision(
    registry: &std::path::Path,
    rev: &str,
) -> Result<(PathBuf, tempfile::TempDir), Error> {
    let tmp = tempfile::tempdir()
        .map_err(|e| Error::Io(format!("cannot create a temporary folder: {e}")))?;
    let dir = tmp.path().join("registry");
    vetted::history::materialize(registry, rev, &dir)?;
    Ok((dir, tmp))
}

fn registry_options(c: &Common) -> Result<Opened, Error> {
    set_jobs(c.jobs)?;
    let today = today(c)?;
    let shown = vetted::load::discover(c.registry.as_deref());
    let (registry, copy) = match &c.rev {
        Some(rev) => {
            let (dir, tmp) = at_revision(&shown, rev)?;
            (dir, Some(tmp))
        }
        None => (shown.clone(), None),
    };
    Ok(Opened {
        opts: RegistryOptions { registry, today },
        shown,
        _rev_copy: copy,
    })
}

fn diff(
    base: String,
    head: Option<String>,
    common: Common,
    format: DiffFormat,
    fail_on: FailOn,
) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let today = today(&common)?;
    let registry = vetted::load::discover(common.registry.as_deref());
    let (base_dir, _b) = at_revision(&registry, &base)?;
    let (head_dir, _h) = match &head {
        Some(rev) => {
            let (d, t) = at_revision(&registry, rev)?;
            (d, Some(t))
        }
        None => (registry.clone(), None),
    };
    let b = vetted::check(&RegistryOptions {
        registry: base_dir.clone(),
        today,
    })?;
    let h = vetted::check(&RegistryOptions {
        registry: head_dir.clone(),
        today,
    })?;
    let head_name = head.clone().unwrap_or_else(|| "working tree".into());
    let d = vetted::diff::compare(&base, &b, &base_dir, &head_name, &h, &head_dir);
    let (text, style) = match format {
        DiffFormat::Markdown => (vetted::diff::markdown(&d), Style::Text),
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d).unwrap_or_default();
            s.push('\n');
            (s, Style::Json)
        }
    };
    let mut out = Inert::new(std::io::stdout().lock(), style);
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::Io(format!("cannot write output: {e}")))?;
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(u8::from(
        d.new_problems.iter().any(|p| p.severity >= threshold),
    ))
}

/// `themes/<name>` next to the registry folder.
fn themes_beside(registry: &std::path::Path, name: &str) -> PathBuf {
    let parent = registry
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let parent = if registry == std::path::Path::new(".") {
        std::path::Path::new("..")
    } else {
        parent
    };
    parent.join("themes").join(name)
}

fn build(
    common: &Common,
    out: &std::path::Path,
    theme_dir: Option<PathBuf>,
    cache_dir: &std::path::Path,
) -> Result<u8, Error> {
    let started = std::time::Instant::now();
    let opened = registry_options(common)?;
    let opts = &opened.opts;
    let report = vetted::check(opts)?;
    let paths = PathDisplay::new(&opened.shown);
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Diagnostics go to standard error, which CI logs too.
    let print_diags = |diags: &[vetted::diag::Diagnostic]| {
        let mut err = Inert::new(std::io::stderr().lock(), Style::Text);
        let _ = report::write_human(diags, &report.checked.sources, &paths, color, &mut err)
            .and_then(|()| err.flush());
    };
    let (Some(registry), Some(assessment)) = (&report.checked.registry, &report.assessment) else {
        print_diags(&report.diagnostics);
        say!(
            "error: the registry is invalid; nothing was written and {} is unchanged",
            out.display()
        );
        return Ok(1);
    };
    if report.is_invalid() {
        let errors = report.contract_errors();
        print_diags(&errors);
        say!(
            "error: {} data-contract error(s); nothing was written and {} is unchanged (run `vetted check` for details)",
            errors.len(),
            out.display()
        );
        return Ok(1);
    }
    let theme_dir = theme_dir.or_else(|| {
        let name = registry.settings.theme.as_deref().unwrap_or("default");
        Some(themes_beside(&opened.shown, name)).filter(|p| p.is_dir())
    });
    let progress = std::io::stderr().is_terminal();
    let history = vetted::history::read(
        &opened.shown,
        &vetted::history::HistoryOptions {
            cache_dir: Some(cache_dir.to_path_buf()),
            kinds: registry.kinds.clone(),
            working_tree: true,
            tiers: Some(std::sync::Arc::new(registry.tiers.clone())),
            rev: common.rev.clone(),
        },
    )?;
    for n in &history.notes {
        say!("note: {n}");
    }
    let stats = vetted::render::build(
        registry,
        assessment,
        &vetted::render::BuildOptions {
            out: out.to_path_buf(),
            theme_dir,
            progress,
            history: Some(history),
        },
    )?;
    let tally = Tally::of(&report.diagnostics);
    say!(
        "built {} pages ({} KiB) for {} vendors into {} in {} ms; assessment: {}",
        stats.pages,
        stats.bytes.div_ceil(1024),
        registry.vendors.len(),
        out.display(),
        started.elapsed().as_millis(),
        report::summary_line(tally)
    );
    Ok(0)
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Build {
            common,
            out,
            theme_dir,
            cache_dir,
        } => build(&common, &out, theme_dir, &cache_dir),
        Command::Serve {
            common,
            port,
            out,
            theme_dir,
        } => {
            set_jobs(common.jobs)?;
            let common = Common {
                jobs: None,
                ..common
            };
            // A failed first build still serves whatever was published before.
            let cache_dir = PathBuf::from(".vetted-cache");
            if build(&common, &out, theme_dir.clone(), &cache_dir)? != 0 {
                say!("the registry has errors; fix them and the site rebuilds");
            }
            let registry = vetted::load::discover(common.registry.as_deref());
            let themes = theme_dir
                .clone()
                .unwrap_or_else(|| themes_beside(&registry, "default"));
            vetted::serve::serve(&out, port, &[&registry, &themes], || {
                // A build that found data-contract errors published nothing.
                match build(&common, &out, theme_dir.clone(), &cache_dir)? {
                    0 => Ok(()),
                    _ => Err(Error::Usage("the registry has errors (above)".into())),
                }
            })?;
            Ok(0)
        }
        Command::Diff {
            base,
            head,
            common,
            format,
            fail_on,
        } => diff(base, head, common, format, fail_on),
        Command::History {
            common,
            cache_dir,
            no_cache,
            json,
        } => {
            set_jobs(common.jobs)?;
            let started = std::time::Instant::now();
            let registry = vetted::load::discover(common.registry.as_deref());
            let opts = vetted::history::HistoryOptions {
                cache_dir: (!no_cache).then_some(cache_dir),
                ..Default::default()
            };
            let h = vetted::history::read(&registry, &opts)?;
            let out = std::io::stdout().lock();
            let text = if json {
                serde_json::to_string_pretty(&h.commits).unwrap_or_default() + "\n"
            } else {
                let mut s = String::new();
                for c in h.commits.iter().take(20) {
                    let vendors: Vec<&str> = c.vendors.iter().map(|v| v.slug.as_str()).collect();
                    s.push_str(&format!(
                        "{} {} {}: {} [{}]\n",
                        c.commit.short,
                        c.commit.date,
                        c.commit.author,
                        c.commit.summary,
                        vendors.join(", ")
                    ));
                }
                // Commit messages and authors come from pull requests too.
                report::visible(&s, true).into_owned()
            };
            let style = if json { Style::Json } else { Style::Text };
            let mut out = Inert::new(out, style);
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Error::Io(format!("cannot write output: {e}")))?;
            for n in &h.notes {
                say!("note: {n}");
            }
            say!(
                "{} registry commits, {} vendors with history; compared {} commits, {} from cache, in {} ms",
                h.commits.len(),
                h.vendors.len(),
                h.walked,
                h.cached,
                started.elapsed().as_millis()
            );
            // The process ends next: freeing every change one by one took
            // 8% of a rebuild after one commit (10k vendors / 50k commits).
            std::mem::forget(h);
            Ok(0)
        }
        Command::Theme {
            command: ThemeCommand::Eject { dir, common },
        } => {
            let registry = vetted::load::discover(common.registry.as_deref());
            let dir = dir.unwrap_or_else(|| themes_beside(&registry, "default"));
            let written = vetted::render::eject_theme(&dir)?;
            let mut out = Inert::new(std::io::stdout().lock(), Style::Text);
            for f in &written {
                let _ = writeln!(out, "{}", report::visible(&f.display().to_string(), false));
            }
            drop(out);
            say!(
                "wrote {} theme files into {}; edit any of them, delete the rest",
                written.len(),
                dir.display()
            );
            Ok(0)
        }
        Command::Check {
            common,
            format,
            fail_on,
        } => {
            let opened = registry_options(&common)?;
            let opts = &opened.opts;
            let report = vetted::check(opts)?;
            let checked = &report.checked;
            let paths = PathDisplay::new(&opened.shown);
            let diags = &report.diagnostics;
            let tally = Tally::of(diags);
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            // Plain text goes out as it is; only coloured output needs
            // anstream (which adapts escapes to the terminal).
            let write = |out: &mut dyn Write| -> std::io::Result<()> {
                match format {
                    Format::Human => {
                        report::write_human(diags, &checked.sources, &paths, color, out)?;
                        if let (Some(reg), Some(a)) = (&checked.registry, &report.assessment) {
                            out.write_all(report::vendor_table(reg, a).as_bytes())?;
                        }
                        let vendors = checked.registry.as_ref().map_or(0, |r| r.vendors.len());
                        writeln!(
                            out,
                            "{}",
                            report::checked_line(vendors, &checked.not_assessed, tally)
                        )?;
                    }
                    Format::Json => {
                        let vendors = match (&checked.registry, &report.assessment) {
                            (Some(reg), Some(a)) => report::json_vendors(reg, a),
                            _ => serde_json::Value::Array(vec![]),
                        };
                        let v = serde_json::json!({
                            "version": 1,
                            "today": opts.today.to_string(),
                            "summary": tally,
                            "not_assessed": &checked.not_assessed,
                            "vendors": vendors,
                            "diagnostics": report::json_diagnostics(diags, &paths),
                        });
                        serde_json::to_writer_pretty(&mut *out, &v)?;
                        out.write_all(b"\n")?;
                    }
                    Format::Github => out.write_all(report::github(diags, &paths).as_bytes())?,
                }
                out.flush()
            };
            // Human and JSON output pass through `Inert` (no workflow command
            // reaches a CI log); the GitHub format escapes its own data.
            let style = match format {
                Format::Human => Some(Style::Text),
                Format::Json => Some(Style::Json),
                Format::Github => None,
            };
            // Buffered before `Inert`, so it sees large chunks, not the many
            // small writes of the JSON serializer.
            let buffered = |w: Box<dyn Write>| std::io::BufWriter::with_capacity(1 << 16, w);
            let written = match (color, style) {
                (true, Some(style)) => write(&mut buffered(Box::new(Inert::new(
                    anstream::stdout().lock(),
                    style,
                )))),
                (true, None) => write(&mut anstream::stdout().lock()),
                (false, Some(style)) => write(&mut buffered(Box::new(Inert::new(
                    std::io::stdout().lock(),
                    style,
                )))),
                (false, None) => write(&mut buffered(Box::new(std::io::stdout().lock()))),
            };
            written.map_err(|e| Error::Io(format!("cannot write output: {e}")))?;
            let threshold = match fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
            };
            let code = u8::from(diags.iter().any(|d| d.severity >= threshold));
            // The process ends here: skip freeing tens of thousands of parsed
            // files one by one (the OS reclaims the memory at once).
            std::mem::forget(report);
            Ok(code)
        }
    }
}
