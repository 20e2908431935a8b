//! The `vetted` command line: parse arguments, run a library command
//! (`vetted::command`), print its outcome, and map it to an exit code
//! (0 clean, 1 findings at or above --fail-on, 2 usage, I/O or git error).
//!
//! Everything that decides what a command does or finds is in the library;
//! what is here is the terminal: which stream gets what, colour, and the
//! process-wide settings (worker threads, allocator).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use vetted::command::{self, BuildOutcome, HistorySource, Refusal};
use vetted::console::{Inert, Style};
use vetted::error::FsOp;
use vetted::model::Date;
use vetted::report::{self, Format, PathDisplay};
use vetted::{Error, FailOn, say};

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
        /// Write the --format report to FILE (replaced atomically) and the
        /// human report to standard output
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
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
        /// Cache folder for the history walk and the site manifest (a
        /// rebuild renders only the pages whose inputs changed); delete it at any time
        #[arg(long, default_value = ".vetted-cache")]
        cache_dir: PathBuf,
        /// Build from scratch: walk the whole history and render every page,
        /// without reading or writing the cache
        #[arg(long)]
        no_cache: bool,
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
        #[arg(long, value_enum, default_value_t = vetted::diff::Format::Markdown)]
        format: vetted::diff::Format,
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
    /// Write the dated events (expiries, reviews, renewals…) as an iCalendar file to subscribe to
    Calendar {
        #[command(flatten)]
        common: Common,
        /// Write to this file, atomically, instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Export a table of the assessed registry (the vendor inventory by default) as CSV, JSON or XLSX
    Export {
        #[command(flatten)]
        common: Common,
        /// File format
        #[arg(long, value_enum)]
        format: vetted::export::Format,
        /// Which table: one row per vendor, artifact, finding or product
        #[arg(long, value_enum, default_value_t = vetted::export::Table::Vendors)]
        what: vetted::export::Table,
        /// Write to this file, atomically, instead of standard output (required for xlsx)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write JSON Schemas of every registry file kind, for editor completion
    /// (answers.schema.json from the registry's own questionnaire)
    Schema {
        #[command(flatten)]
        common: Common,
        /// Folder to write the schemas into, each file atomically (default: schemas in the registry)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a new registry: the default policy files, an empty vendors/, the
    /// editors' Taplo configuration and, with --ci, a CI workflow (never overwrites)
    Init {
        /// The registry folder; the configuration goes into its parent, the repository root
        #[arg(default_value = "registry")]
        dir: PathBuf,
        /// Also write this CI system's workflow at the repository root
        #[arg(long, value_enum)]
        ci: Option<command::Ci>,
    },
    /// Write vendors/SLUG/ from the registry's questionnaire, tiers and artifact kinds
    New {
        /// The vendor's folder name: lowercase a-z, 0-9 and single '-', e.g. acme-infusion
        slug: String,
        /// The vendor's name (default: the slug's words, capitalised)
        #[arg(long)]
        name: Option<String>,
        /// The vendor's category, e.g. infusion-pump
        #[arg(long)]
        category: Option<String>,
        /// The tier the written risk profile gives (default: the highest-risk tier)
        #[arg(long)]
        tier: Option<u8>,
        #[command(flatten)]
        common: Common,
    },
    /// The vendor questionnaire as a spreadsheet: export it to send, import the answers returned
    Questionnaire {
        #[command(subcommand)]
        command: QuestionnaireCommand,
    },
    /// Manage the site theme
    Theme {
        #[command(subcommand)]
        command: ThemeCommand,
    },
}

#[derive(Subcommand)]
enum QuestionnaireCommand {
    /// Write a vendor's questionnaire as an .xlsx workbook (answers pre-filled) to send to it
    Export {
        /// The vendor's folder name under vendors/
        #[arg(long)]
        vendor: String,
        /// The workbook to write (replaced atomically)
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// Leave every answer empty (also for a vendor with no answers.toml yet)
        #[arg(long)]
        blank: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Read a returned workbook, check every answer and update answers.toml in place
    Import {
        /// The vendor's folder name under vendors/
        #[arg(long)]
        vendor: String,
        /// The returned workbook
        #[arg(value_name = "FILE.xlsx")]
        workbook: PathBuf,
        /// Check and show what would change, write nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        common: Common,
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

fn main() -> ExitCode {
    // Process-wide tuning (libgit2's settings, allocator thresholds for the
    // history walk), decided by the binary once, before any command runs and
    // before the thread pool starts: the library never changes them itself.
    vetted::history::tune_process();
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
            if let Some(help) = e.help() {
                say!("  = help: {help}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Check {
            common,
            format,
            fail_on,
            output,
        } => check(&common, format, fail_on, output.as_deref()),
        Command::Build {
            common,
            out,
            theme_dir,
            cache_dir,
            no_cache,
        } => build(&common, &out, theme_dir, (!no_cache).then_some(&*cache_dir)),
        Command::Serve {
            common,
            port,
            out,
            theme_dir,
        } => serve(common, port, out, theme_dir),
        Command::Diff {
            base,
            head,
            common,
            format,
            fail_on,
        } => diff(base, head, &common, format, fail_on),
        Command::History {
            common,
            cache_dir,
            no_cache,
            json,
        } => history(&common, (!no_cache).then_some(cache_dir), json),
        Command::Calendar { common, out } => calendar(&common, out),
        Command::Export {
            common,
            format,
            what,
            out,
        } => export(&common, format, what, out),
        Command::Schema { common, out } => schema(&common, out),
        Command::Init { dir, ci } => init(&command::InitOptions { dir, ci }),
        Command::New {
            slug,
            name,
            category,
            tier,
            common,
        } => new(&command::NewOptions {
            today: today(&common)?,
            registry: registry(&common),
            slug,
            name,
            category,
            tier,
        }),
        Command::Questionnaire { command } => questionnaire(command),
        Command::Theme {
            command: ThemeCommand::Eject { dir, common },
        } => eject(&common, dir),
    }
}

/// `--jobs`: the size of the process-wide worker pool.
fn set_jobs(jobs: Option<usize>) -> Result<(), Error> {
    if let Some(j) = jobs {
        if j == 0 {
            return Err(Error::NoJobs);
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global()
            .map_err(|source| Error::Threads { jobs: j, source })?;
    }
    Ok(())
}

/// `--today`, or the clock's date.
fn today(c: &Common) -> Result<Date, Error> {
    match &c.today {
        Some(s) => vetted::parse_date(s),
        None => Ok(jiff::Zoned::now().date()),
    }
}

/// `--registry`, or the folder found by default.
fn registry(c: &Common) -> PathBuf {
    vetted::load::discover(c.registry.as_deref())
}

/// Colour only on a terminal, never with `NO_COLOR`.
fn wants_color(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none()
}

/// Write `text` to standard output, made inert in `style`.
fn print_stdout(text: &str, style: Style) -> Result<(), Error> {
    let mut out = Inert::new(std::io::stdout().lock(), style);
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| Error::Output { source })
}

fn check(
    common: &Common,
    format: Format,
    fail_on: FailOn,
    output: Option<&Path>,
) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let opts = command::CheckOptions {
        today: today(common)?,
        registry: registry(common),
        rev: common.rev.clone(),
    };
    let report = command::check(&opts)?;
    let paths = PathDisplay::new(&opts.registry);
    // With --output the chosen format goes to the file and people get the
    // human report on standard output.
    let format = match output {
        Some(file) => {
            write_report_file(file, format, &report, &paths)?;
            Format::Human
        }
        None => format,
    };
    let color = wants_color(std::io::stdout().is_terminal());
    let write = |out: &mut dyn Write| {
        report::write(format, &report, &paths, color, out).and_then(|()| out.flush())
    };
    // Text and JSON pass through `Inert` (no workflow command reaches a CI
    // log; the GitHub format escapes its own data), buffered before it so
    // that it sees large chunks, not the JSON serializer's many small
    // writes. Only coloured output needs anstream (which adapts escapes to
    // the terminal).
    let buffered = |w: Box<dyn Write>| std::io::BufWriter::with_capacity(1 << 16, w);
    let written = match (color, format.stream_style()) {
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
    written.map_err(|source| Error::Output { source })?;
    let code = u8::from(report.fails(fail_on));
    // The process ends here: skip freeing tens of thousands of parsed
    // files one by one (the OS reclaims the memory at once).
    std::mem::forget(report);
    Ok(code)
}

/// Write `report` in `format` to `file` atomically: into a temporary file
/// in the same folder, renamed over `file` once complete, so a reader never
/// sees half a report. The file is made inert like standard output would be.
fn write_report_file(
    file: &Path,
    format: Format,
    report: &vetted::CheckReport,
    paths: &PathDisplay,
) -> Result<(), Error> {
    let fail = |op, source| Error::ReportWrite {
        op,
        path: file.to_path_buf(),
        source,
    };
    let tmp =
        vetted::atomic::temp_beside(file, ".vetted-report").map_err(|e| fail(FsOp::Create, e))?;
    {
        let handle = tmp.as_file();
        let write = |out: &mut dyn Write| {
            report::write(format, report, paths, false, out).and_then(|()| out.flush())
        };
        let size = 1 << 16;
        match format.stream_style() {
            Some(style) => write(&mut std::io::BufWriter::with_capacity(
                size,
                Inert::new(handle, style),
            )),
            None => write(&mut std::io::BufWriter::with_capacity(size, handle)),
        }
        .and_then(|()| handle.sync_all())
        .map_err(|e| fail(FsOp::Write, e))?;
    }
    tmp.persist(file).map_err(|e| fail(FsOp::Write, e.error))?;
    Ok(())
}

fn build(
    common: &Common,
    out: &Path,
    theme_dir: Option<PathBuf>,
    cache_dir: Option<&Path>,
) -> Result<u8, Error> {
    let started = Instant::now();
    set_jobs(common.jobs)?;
    let opts = command::BuildOptions {
        today: today(common)?,
        registry: registry(common),
        out: out.to_path_buf(),
        theme_dir,
        history: HistorySource::Git {
            cache_dir: cache_dir.map(Path::to_path_buf),
        },
        rev: common.rev.clone(),
        progress: std::io::stderr().is_terminal(),
    };
    match command::build(&opts, &mut |note| say!("note: {note}"))? {
        BuildOutcome::Refused(refusal) => {
            print_refusal(&refusal, &opts.registry, &opts.out.display().to_string());
            Ok(1)
        }
        BuildOutcome::Built(built) => {
            say!(
                "built {} pages ({} KiB, {} files unchanged) for {} vendors into {} in {} ms; assessment: {}",
                built.stats.pages,
                built.stats.bytes.div_ceil(1024),
                built.stats.reused,
                built.vendors,
                out.display(),
                started.elapsed().as_millis(),
                report::summary_line(built.tally)
            );
            Ok(0)
        }
    }
}

/// Why nothing was built: the diagnostics (on standard error, which CI logs
/// too), then one line.
fn calendar(common: &Common, out: Option<PathBuf>) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let opts = command::CalendarOptions {
        today: today(common)?,
        registry: registry(common),
        rev: common.rev.clone(),
    };
    let ics = match command::calendar(&opts)? {
        command::CalendarOutcome::Refused(refusal) => {
            let target = out
                .as_ref()
                .map_or("the calendar".to_string(), |p| p.display().to_string());
            print_refusal(&refusal, &opts.registry, &target);
            return Ok(1);
        }
        command::CalendarOutcome::Written(ics) => ics,
    };
    match out {
        Some(path) => {
            vetted::atomic::write(&path, ics.as_bytes())
                .map_err(|source| Error::WriteFile { path, source })?;
            Ok(0)
        }
        None => print_stdout(&ics, Style::Text).map(|()| 0),
    }
}

fn export(
    common: &Common,
    format: vetted::export::Format,
    table: vetted::export::Table,
    out: Option<PathBuf>,
) -> Result<u8, Error> {
    if format.is_binary() && out.is_none() {
        return Err(Error::ExportNeedsOut);
    }
    set_jobs(common.jobs)?;
    let opts = command::ExportOptions {
        today: today(common)?,
        registry: registry(common),
        rev: common.rev.clone(),
        table,
        format,
    };
    let bytes = match command::export(&opts)? {
        command::ExportOutcome::Refused(refusal) => {
            let target = out
                .as_ref()
                .map_or("the export".to_string(), |p| p.display().to_string());
            print_refusal(&refusal, &opts.registry, &target);
            return Ok(1);
        }
        command::ExportOutcome::Written(bytes) => bytes,
    };
    match out {
        Some(path) => {
            vetted::atomic::write(&path, &bytes)
                .map_err(|source| Error::WriteFile { path, source })?;
            Ok(0)
        }
        // Text formats only (xlsx needs --out): inert in a CI log like every report.
        None => {
            let style = match format {
                vetted::export::Format::Json => Style::Json,
                _ => Style::Text,
            };
            print_stdout(&String::from_utf8_lossy(&bytes), style).map(|()| 0)
        }
    }
}

fn schema(common: &Common, out: Option<PathBuf>) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let opts = command::SchemaOptions {
        today: today(common)?,
        registry: registry(common),
        out,
        rev: common.rev.clone(),
    };
    match command::schema(&opts)? {
        command::SchemaOutcome::Refused(refusal) => {
            let dir = opts
                .out
                .clone()
                .unwrap_or_else(|| opts.registry.join(vetted::schema::DIR));
            print_refusal(&refusal, &opts.registry, &dir.display().to_string());
            Ok(1)
        }
        command::SchemaOutcome::Written { dir, files } => {
            say!("wrote {} JSON Schemas into {}", files.len(), dir.display());
            Ok(0)
        }
    }
}

fn print_refusal(refusal: &Refusal, registry: &Path, target: &str) {
    let (diags, sources) = refusal.diagnostics();
    let paths = PathDisplay::new(registry);
    let color = wants_color(std::io::stderr().is_terminal());
    let mut err = Inert::new(std::io::stderr().lock(), Style::Text);
    let _ = report::write_human(diags, sources, &paths, color, &mut err).and_then(|()| err.flush());
    drop(err);
    let out = target;
    match refusal {
        Refusal::Invalid { .. } => {
            say!("error: the registry is invalid; nothing was written and {out} is unchanged")
        }
        Refusal::ContractErrors { errors, .. } => say!(
            "error: {} data-contract error(s); nothing was written and {out} is unchanged (run `vetted check` for details)",
            errors.len()
        ),
    }
}

fn serve(common: Common, port: u16, out: PathBuf, theme_dir: Option<PathBuf>) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    // The pool is set once; rebuilds must not try again.
    let common = Common {
        jobs: None,
        ..common
    };
    let cache_dir = PathBuf::from(".vetted-cache");
    // A failed first build still serves whatever was published before.
    if build(&common, &out, theme_dir.clone(), Some(&cache_dir))? != 0 {
        say!("the registry has errors; fix them and the site rebuilds");
    }
    let opts = command::ServeOptions {
        registry: registry(&common),
        out: out.clone(),
        port,
        theme_dir: theme_dir.clone(),
    };
    command::serve(&opts, || {
        // A build that found data-contract errors published nothing.
        match build(&common, &out, theme_dir.clone(), Some(&cache_dir))? {
            0 => Ok(()),
            _ => Err(Error::RegistryHasErrors),
        }
    })?;
    Ok(0)
}

fn diff(
    base: String,
    head: Option<String>,
    common: &Common,
    format: vetted::diff::Format,
    fail_on: FailOn,
) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let opts = command::DiffOptions {
        today: today(common)?,
        registry: registry(common),
        base,
        head,
    };
    let d = command::diff(&opts)?;
    print_stdout(&vetted::diff::render(&d, format), format.stream_style())?;
    Ok(u8::from(d.fails(fail_on)))
}

fn history(common: &Common, cache_dir: Option<PathBuf>, json: bool) -> Result<u8, Error> {
    set_jobs(common.jobs)?;
    let started = Instant::now();
    let opts = command::HistoryOptions {
        registry: registry(common),
        cache_dir,
    };
    let h = command::history(&opts)?;
    if json {
        print_stdout(&report::history::json(&h), Style::Json)?;
    } else {
        print_stdout(&report::history::summary(&h), Style::Text)?;
    }
    for n in &h.notes {
        say!("note: {n}");
    }
    say!("{}", report::history::walk_line(&h, started.elapsed()));
    // The process ends next: freeing every change one by one took
    // 8% of a rebuild after one commit (10k vendors / 50k commits).
    std::mem::forget(h);
    Ok(0)
}

fn eject(common: &Common, dir: Option<PathBuf>) -> Result<u8, Error> {
    let ejected = command::eject_theme(&command::EjectOptions {
        registry: registry(common),
        dir,
    })?;
    print_paths(&ejected.files);
    say!(
        "wrote {} theme files into {}; edit any of them, delete the rest",
        ejected.files.len(),
        ejected.dir.display()
    );
    Ok(0)
}

/// Print each path written, one a line, on standard output.
fn print_paths(paths: &[PathBuf]) {
    let mut out = Inert::new(std::io::stdout().lock(), Style::Text);
    for f in paths {
        let _ = writeln!(out, "{}", report::visible(&f.display().to_string(), false));
    }
}

fn init(opts: &command::InitOptions) -> Result<u8, Error> {
    let done = command::init(opts)?;
    print_paths(&done.files);
    let dir = report::visible(&done.registry.display().to_string(), false).into_owned();
    let at = if done.registry == Path::new("registry") {
        String::new()
    } else {
        format!(" --registry {dir}")
    };
    say!(
        "wrote a new registry into {dir}; next:\n  \
         vetted new acme-infusion --name \"Acme Infusion\"{at}   a vendor's folder, to fill in\n  \
         vetted check{at}   what is unanswered or missing\n  \
         vetted build{at}   the site, into public/"
    );
    Ok(0)
}

fn new(opts: &command::NewOptions) -> Result<u8, Error> {
    let done = command::new_vendor(opts)?;
    print_paths(&done.files);
    say!(
        "wrote {}: tier {} ({}), {} of {} questions required, evidence required: {}; \
         fill in answers.toml and artifacts.toml, set the vendor's real [profile] in vendor.toml, \
         then run `vetted check`",
        report::visible(&done.dir.display().to_string(), false),
        done.tier,
        report::visible(&done.tier_name, false),
        done.required_questions,
        done.questions,
        if done.required_kinds.is_empty() {
            "none".to_string()
        } else {
            done.required_kinds.join(", ")
        }
    );
    if let Some(in_use) = &done.new_category {
        say!(
            "note: no other vendor has this category; theirs are {}",
            report::visible(&in_use.join(", "), false)
        );
    }
    Ok(0)
}

fn questionnaire(cmd: QuestionnaireCommand) -> Result<u8, Error> {
    match cmd {
        QuestionnaireCommand::Export {
            vendor,
            out,
            blank,
            common,
        } => {
            set_jobs(common.jobs)?;
            let opts = command::QuestionnaireExportOptions {
                registry: registry(&common),
                today: today(&common)?,
                vendor,
                out,
                blank,
                rev: common.rev.clone(),
            };
            match command::questionnaire_export(&opts)? {
                command::QuestionnaireExportOutcome::Refused(refusal) => {
                    print_refusal(&refusal, &opts.registry, &opts.out.display().to_string());
                    Ok(1)
                }
                command::QuestionnaireExportOutcome::Written { questions } => {
                    say!(
                        "wrote {} ({questions} questions) for {}",
                        opts.out.display(),
                        opts.vendor
                    );
                    Ok(0)
                }
            }
        }
        QuestionnaireCommand::Import {
            vendor,
            workbook,
            dry_run,
            common,
        } => {
            set_jobs(common.jobs)?;
            if common.rev.is_some() {
                return Err(Error::ImportAtRevision);
            }
            let opts = command::QuestionnaireImportOptions {
                registry: registry(&common),
                today: today(&common)?,
                vendor,
                workbook,
                dry_run,
            };
            let shown = opts.workbook.display().to_string();
            match command::questionnaire_import(&opts)? {
                command::QuestionnaireImportOutcome::Refused(refusal) => {
                    print_refusal(&refusal, &opts.registry, "answers.toml");
                    Ok(1)
                }
                command::QuestionnaireImportOutcome::BadCells(problems) => {
                    print_stdout(
                        &vetted::questionnaire::problems_text(&shown, &problems),
                        Style::Text,
                    )?;
                    say!(
                        "error: {} invalid cell(s) in {shown}; nothing was written and answers.toml is unchanged",
                        problems.len()
                    );
                    Ok(1)
                }
                command::QuestionnaireImportOutcome::Imported(done) => {
                    let mut text = vetted::questionnaire::changes_text(
                        &done.answers_file,
                        &done.changes,
                        done.written,
                    );
                    if let Some(d) = &done.diff {
                        text.push('\n');
                        text.push_str(&vetted::diff::render(d, vetted::diff::Format::Markdown));
                    }
                    print_stdout(&text, Style::Text).map(|()| 0)
                }
            }
        }
    }
}
