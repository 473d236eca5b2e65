//! `libvirt-xml`: check, format and convert libvirt XML documents from the shell.
//!
//! Every document kind libvirt has is told by its root element (`<domain>`, `<network>`,
//! `<pool>`, …); a root that is no document but a device (`<disk>`, `<interface>` to
//! hot-plug) is read as one, and `--device` says so where the name is both (`<interface>`).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use libvirt_xml::device::DeviceRoot;
use libvirt_xml::{Document, Error, ErrorKind, Invalid, Style};

#[derive(Parser)]
#[command(name = "libvirt-xml", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check documents against libvirt's schemas: every problem with its element path
    /// and line:column. Exit status 0 if all are valid, 1 if any is not, 2 if a file
    /// cannot be read.
    Validate {
        /// Files to check (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// How to report: `text` (file:line:column: message at path) or `json` (one
        /// object per file and line, for scripts).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Print nothing for valid files and no summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Rewrite documents laid out as libvirt writes them (nothing is dropped: unknown
    /// elements, comments and spellings stay, and so do blank lines written beside a
    /// comment). Prints to standard output unless asked otherwise.
    Fmt {
        /// Files to format (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// Write the result back into each file.
        #[arg(short, long, conflicts_with = "check")]
        in_place: bool,
        /// Change nothing; list files that are not formatted and exit 1 if any.
        #[arg(long)]
        check: bool,
        /// One line, no indentation.
        #[arg(long)]
        compact: bool,
    },
    /// Print a document as JSON (an object keyed by its root element's name).
    ToJson {
        /// The document (`-` reads standard input).
        file: PathBuf,
        #[command(flatten)]
        read: ReadArgs,
        /// Indent the JSON.
        #[arg(long)]
        pretty: bool,
    },
    /// Read JSON written by `to-json` (or edited from it) and print the XML document.
    FromJson {
        /// The JSON file (`-` reads standard input).
        file: PathBuf,
        /// Read a device (`{"interface": …}` of a domain) rather than a document.
        #[arg(long)]
        device: bool,
    },
    /// Say what each file holds: its root element and whether it is a document or a
    /// device.
    Kind {
        /// Files to look at (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// List the root elements this tool reads: document kinds, then devices.
    Roots,
}

#[derive(clap::Args, Clone, Copy)]
struct ReadArgs {
    /// Read the root as a domain device (`<interface>`, `<disk>`, … as hot-plugged)
    /// even where a document has the same root name.
    #[arg(long)]
    device: bool,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A file's content read as a document or, failing that, as a device.
enum Parsed {
    Document(Document),
    Device(DeviceRoot),
}

impl Parsed {
    fn read(xml: &str, args: ReadArgs) -> Result<Self, Error> {
        if args.device {
            return DeviceRoot::from_xml(xml).map(Parsed::Device);
        }
        match Document::from_xml(xml) {
            Err(e) if matches!(e.kind(), ErrorKind::WrongRoot { .. }) => {
                DeviceRoot::from_xml(xml).map(Parsed::Device).map_err(|_| e)
            }
            other => other.map(Parsed::Document),
        }
    }

    fn validate_xml(xml: &str, args: ReadArgs) -> Result<(), Invalid> {
        if args.device {
            return DeviceRoot::validate_xml(xml);
        }
        match Document::validate_xml(xml) {
            Err(e) if e.len() == 1 && matches!(e[0].kind(), ErrorKind::WrongRoot { .. }) => {
                match DeviceRoot::validate_xml(xml) {
                    Err(d)
                        if d.len() == 1 && matches!(d[0].kind(), ErrorKind::WrongRoot { .. }) =>
                    {
                        Err(e)
                    }
                    other => other,
                }
            }
            other => other,
        }
    }

    fn to_xml(&self, style: Style) -> Result<String, Error> {
        match self {
            Parsed::Document(d) => d.to_xml_with(style),
            Parsed::Device(d) => d.to_xml_with(style),
        }
    }

    fn describe(&self) -> String {
        match self {
            Parsed::Document(d) => format!("{} document", d.root_name()),
            Parsed::Device(d) => format!("{} device", d.root_name()),
        }
    }
}

/// What ends a command early: a message for standard error and the exit status.
struct Failure(String, u8);

impl<E: std::fmt::Display> From<(&Path, E)> for Failure {
    fn from((path, e): (&Path, E)) -> Self {
        Failure(format!("{}: {e}", path.display()), 2)
    }
}

fn read_input(path: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map_err(|e| (path, e))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| (path, e))?;
    }
    Ok(text)
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`… | head`) is the reader's choice, not a failure.
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure(format!("standard output: {e}"), 2))
        }
        _ => Ok(()),
    }
}

/// A `\r` progress line on standard error, only when that is a terminal and the run is long.
struct Progress {
    total: usize,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Self {
        let shown = total > 20 && std::io::stderr().is_terminal();
        Progress { total, shown }
    }

    fn tick(&self, done: usize, path: &Path) {
        if self.shown && (done.is_multiple_of(16) || done == self.total) {
            eprint!("\r\x1b[K[{done}/{}] {}", self.total, path.display());
        }
    }

    fn clear(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}

fn validate(files: &[PathBuf], read: ReadArgs, format: Format, quiet: bool) -> Result<u8, Failure> {
    let progress = Progress::new(files.len());
    let (mut valid, mut invalid, mut unreadable) = (0usize, 0usize, 0usize);
    let mut report = String::new();
    for (i, path) in files.iter().enumerate() {
        progress.tick(i + 1, path);
        let outcome = read_input(path).map(|xml| Parsed::validate_xml(&xml, read));
        match &outcome {
            Ok(Ok(())) => valid += 1,
            Ok(Err(_)) => invalid += 1,
            Err(_) => unreadable += 1,
        }
        report.clear();
        match (format, outcome) {
            (Format::Text, Ok(Ok(()))) if !quiet => {
                report = format!("{}: valid\n", path.display());
            }
            (Format::Text, Ok(Ok(()))) => {}
            (Format::Text, Ok(Err(problems))) => {
                for e in &problems {
                    report.push_str(&text_problem(path, e));
                }
            }
            (Format::Text, Err(Failure(m, _))) => report = format!("{m}\n"),
            (Format::Json, outcome) => {
                let (valid, problems, error) = match outcome {
                    Ok(Ok(())) => (true, Vec::new(), None),
                    Ok(Err(p)) => (false, p.iter().map(json_problem).collect(), None),
                    Err(Failure(m, _)) => (false, Vec::new(), Some(m)),
                };
                let mut line = serde_json::json!({
                    "file": path.display().to_string(),
                    "valid": valid,
                    "problems": problems,
                });
                if let Some(m) = error {
                    line["error"] = m.into();
                }
                report = format!("{line}\n");
            }
        }
        if !report.is_empty() {
            progress.clear();
            write_stdout(&report)?;
        }
    }
    progress.clear();
    if !quiet && format == Format::Text {
        eprintln!(
            "{} file{}: {valid} valid, {invalid} invalid{}",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            if unreadable > 0 { format!(", {unreadable} unreadable") } else { String::new() }
        );
    }
    Ok(match (unreadable, invalid) {
        (0, 0) => 0,
        (0, _) => 1,
        _ => 2,
    })
}

/// `file:line:column: message at path`, the form editors and CI logs link to.
fn text_problem(path: &Path, e: &Error) -> String {
    let at = if e.path().is_empty() { String::new() } else { format!(" at {}", e.path()) };
    if e.line() == 0 {
        format!("{}: {}{at}\n", path.display(), e.kind())
    } else {
        format!("{}:{}:{}: {}{at}\n", path.display(), e.line(), e.column(), e.kind())
    }
}

fn json_problem(e: &Error) -> serde_json::Value {
    serde_json::json!({
        "path": e.path(),
        "line": e.line(),
        "column": e.column(),
        "message": e.kind().to_string(),
    })
}

fn fmt(
    files: &[PathBuf],
    read: ReadArgs,
    in_place: bool,
    check: bool,
    compact: bool,
) -> Result<u8, Failure> {
    let style = if compact { Style::Compact } else { Style::Libvirt };
    let mut unformatted = 0;
    for path in files {
        let xml = read_input(path)?;
        let formatted = Parsed::read(&xml, read)
            .and_then(|doc| doc.to_xml(style))
            .map_err(|e| (path.as_path(), e))?;
        if check {
            if formatted != xml {
                unformatted += 1;
                write_stdout(&format!("{}\n", path.display()))?;
            }
        } else if in_place && path != Path::new("-") {
            if formatted != xml {
                std::fs::write(path, &formatted).map_err(|e| (path.as_path(), e))?;
            }
        } else {
            write_stdout(&formatted)?;
        }
    }
    Ok(u8::from(unformatted > 0))
}

fn to_json(file: &Path, read: ReadArgs, pretty: bool) -> Result<u8, Failure> {
    let xml = read_input(file)?;
    let doc = Parsed::read(&xml, read).map_err(|e| (file, e))?;
    let json = match (&doc, pretty) {
        (Parsed::Document(d), false) => serde_json::to_string(d),
        (Parsed::Document(d), true) => serde_json::to_string_pretty(d),
        (Parsed::Device(d), false) => serde_json::to_string(d),
        (Parsed::Device(d), true) => serde_json::to_string_pretty(d),
    }
    .map_err(|e| (file, e))?;
    write_stdout(&format!("{json}\n"))?;
    Ok(0)
}

fn from_json(file: &Path, device: bool) -> Result<u8, Failure> {
    let json = read_input(file)?;
    let doc = if device {
        serde_json::from_str(&json).map(Parsed::Device)
    } else {
        serde_json::from_str(&json).map(Parsed::Document)
    }
    .map_err(|e| (file, e))?;
    let xml = doc.to_xml(Style::Libvirt).map_err(|e| (file, e))?;
    write_stdout(&xml)?;
    Ok(0)
}

fn kind(files: &[PathBuf], read: ReadArgs) -> Result<u8, Failure> {
    let mut status = 0;
    for path in files {
        let xml = read_input(path)?;
        match Parsed::read(&xml, read) {
            Ok(doc) => write_stdout(&format!("{}: {}\n", path.display(), doc.describe()))?,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                status = 1;
            }
        }
    }
    Ok(status)
}

fn roots() -> Result<u8, Failure> {
    let mut out = String::new();
    for name in Document::root_names() {
        out.push_str(&format!("document\t{name}\n"));
    }
    for name in DeviceRoot::root_names() {
        out.push_str(&format!("device\t{name}\n"));
    }
    write_stdout(&out)?;
    Ok(0)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate { files, read, format, quiet } => validate(&files, read, format, quiet),
        Command::Fmt { files, read, in_place, check, compact } => {
            fmt(&files, read, in_place, check, compact)
        }
        Command::ToJson { file, read, pretty } => to_json(&file, read, pretty),
        Command::FromJson { file, device } => from_json(&file, device),
        Command::Kind { files, read } => kind(&files, read),
        Command::Roots => roots(),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(Failure(message, status)) => {
            eprintln!("libvirt-xml: {message}");
            ExitCode::from(status)
        }
    }
}
