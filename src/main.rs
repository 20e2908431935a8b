//! The `vetted` command line: parse arguments, run a library command, map the
//! outcome to an exit code (0 clean, 1 findings at or above --fail-on, 2 usage,
//! I/O or git error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use vetted::diag::{Severity, Tally};
use vetted::report::{self, Format, PathDisplay};
use vetted::{Error, RegistryOptions};

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
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn registry_options(c: &Common) -> Result<RegistryOptions, Error> {
    if let Some(j) = c.jobs {
        if j == 0 {
            return Err(Error::Usage("--jobs must be at least 1".into()));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global()
            .map_err(|e| Error::Usage(format!("cannot start {j} threads: {e}")))?;
    }
    let today = match &c.today {
        Some(s) => vetted::parse_date(s)?,
        None => jiff::Zoned::now().date(),
    };
    Ok(RegistryOptions {
        registry: vetted::load::discover(c.registry.as_deref()),
        today,
    })
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Check {
            common,
            format,
            fail_on,
        } => {
            let opts = registry_options(&common)?;
            let report = vetted::check(&opts)?;
            let checked = &report.checked;
            let paths = PathDisplay::new(&opts.registry);
            let diags = &report.diagnostics;
            let tally = Tally::of(diags);
            let mut out = anstream::stdout().lock();
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let text = match format {
                Format::Human => {
                    let mut s = report::human(diags, &checked.sources, &paths, color);
                    if let (Some(reg), Some(a)) = (&checked.registry, &report.assessment) {
                        s.push_str(&report::vendor_table(reg, a));
                    }
                    let vendors = checked.registry.as_ref().map_or(0, |r| r.vendors.len());
                    let noun = if vendors == 1 { "vendor" } else { "vendors" };
                    s.push_str(&format!(
                        "checked {vendors} {noun}: {}\n",
                        report::summary_line(tally)
                    ));
                    s
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
                        "vendors": vendors,
                        "diagnostics": report::json_diagnostics(diags, &paths),
                    });
                    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                    s.push('\n');
                    s
                }
                Format::Github => report::github(diags, &paths),
            };
            out.write_all(text.as_bytes())
                .map_err(|e| Error::Io(format!("cannot write output: {e}")))?;
            let threshold = match fail_on {
                FailOn::Error => Severity::Error,
                FailOn::Warning => Severity::Warning,
            };
            Ok(u8::from(diags.iter().any(|d| d.severity >= threshold)))
        }
    }
}
