//! evcxr (the Rust REPL and Jupyter kernel) end to end: pipes a short session through the
//! `evcxr` binary, loading this crate by path, and checks what it prints.
//!
//! Opt-in, because the first run compiles polars inside evcxr (minutes):
//!
//! ```text
//! cargo install evcxr_repl --version 0.22.0 --locked
//! EVCXR_TEST=1 cargo test --test integration evcxr
//! ```
//!
//! evcxr exits 0 even when a cell fails to compile or returns an error, so success is judged
//! from the output only: every cell prints a marker as its last statement (a failed cell stops
//! before it), and compiler and runtime error markers are looked for explicitly.
//!
//! Unix only: the session redirects its stdout with `dup2`, and a timed-out session is killed
//! by process group.
#![cfg(unix)]

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Generous for a cold run on a small machine (polars compiles inside evcxr), but bounded so a
/// hung session cannot stall CI forever.
const TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// With `--disable-readline` evcxr reads one line per cell and turns U+2028 back into newlines,
/// so a multi-line cell is sent as one line (as Jupyter would send a whole cell).
const LINE_SEP: &str = "\u{2028}";

/// Printed by the last statement of each cell; a missing one names the cell that failed. Matched
/// at the end of a line: evcxr prints its prompt (`>> `, coloured) before a cell's first line.
const MARKERS: [&str; 6] = [
    "EVCXR_TEST loaded",
    "EVCXR_TEST events",
    "EVCXR_TEST study",
    "EVCXR_TEST captured",
    "EVCXR_TEST frame",
    "EVCXR_TEST charts",
];

/// What evcxr prints when something goes wrong: rustc errors (`error[E0425]`, or ariadne's
/// `[E0425] Error:`), a failed `:dep` build (`error: could not compile`, `Error:`), a panic in
/// user code, or an error in evcxr's generated code.
const ERROR_MARKERS: [&str; 6] = [
    "error[E",
    "error:",
    "Error:",
    "panicked",
    "A compilation error was found",
    "Child process terminated",
];

/// Files the session writes the raw output of `evcxr_display` and `evcxr_show_svg` to.
const DISPLAY_FILE: &str = "display.txt";
const SVG_FILE: &str = "svg.txt";

/// The session: one string per cell, lines joined with [`LINE_SEP`]. Only owned values cross
/// cells (evcxr cannot keep borrowed values between cells). `out_dir` receives the captured
/// display output.
fn session(crate_dir: &str, out_dir: &Path) -> String {
    let display_file = out_dir.join(DISPLAY_FILE);
    let svg_file = out_dir.join(SVG_FILE);
    let cells: Vec<String> = vec![
        // No optimisation: the cold run compiles polars in about 2.5 minutes on two cores instead
        // of 7 at `:opt 1` (evcxr's default is 2), and the small study still runs in a second.
        ":opt 0".into(),
        format!(":dep eventstudy = {{ path = {crate_dir:?} }}"),
        // For dup/dup2 in `capture` below (already a dependency of polars: nothing new to build).
        ":dep libc = \"0.2\"".into(),
        "use eventstudy::{BreakoutRule, Horizon, Study, WindowOptions, datasets, stats::StatsOptions};\n\
         println!(\"EVCXR_TEST loaded\");"
            .into(),
        // evcxr consumes EVCXR_BEGIN_CONTENT blocks from a cell's stdout (they are its display
        // protocol) and the REPL prints only the text/plain ones, so the raw blocks are checked
        // by pointing stdout at a file while a display method runs.
        "fn capture(path: &str, display: impl FnOnce()) -> std::io::Result<()> {\n\
             use std::io::Write;\n\
             use std::os::fd::AsRawFd;\n\
             let file = std::fs::File::create(path)?;\n\
             std::io::stdout().flush()?;\n\
             // SAFETY: dup/dup2/close on this process's own descriptors; stdout is restored.\n\
             let saved = unsafe { libc::dup(1) };\n\
             if saved < 0 || unsafe { libc::dup2(file.as_raw_fd(), 1) } < 0 {\n\
                 return Err(std::io::Error::last_os_error());\n\
             }\n\
             display();\n\
             let flushed = std::io::stdout().flush();\n\
             unsafe {\n\
                 libc::dup2(saved, 1);\n\
                 libc::close(saved);\n\
             }\n\
             flushed\n\
         }"
        .into(),
        // Events printed one per line with a prefix, so the dates are checked against this cell.
        "let rut = datasets::load(\"rut\")?;\n\
         for e in BreakoutRule::ath_close(250).detect(&rut)? {\n\
             println!(\"EVCXR_TEST event {}\", e.date);\n\
         }\n\
         println!(\"EVCXR_TEST events\");"
            .into(),
        "let report = Study::new(datasets::load(\"rut\")?)\n\
             .rules([BreakoutRule::ath_close(250)])\n\
             .targets([datasets::load(\"btc\")?])\n\
             .window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]))\n\
             .stats(StatsOptions::new().draws(2_000))\n\
             .run()?;\n\
         println!(\"EVCXR_TEST study\");"
            .into(),
        format!(
            "capture({display_file:?}, || report.evcxr_display())?;\n\
             println!(\"EVCXR_TEST captured\");"
        ),
        // The report as the value of a cell, as in a notebook: evcxr calls `evcxr_display` and
        // the REPL prints the text/plain block. The report is never printed with `println!`, so
        // its text (caveat included) in the output can only come from here.
        "report".into(),
        "let df = report.to_dataframe()?;\n\
         println!(\"{df}\");\n\
         println!(\"EVCXR_TEST frame\");"
            .into(),
        format!(
            "let charts = report.charts()?;\n\
             eventstudy::report::evcxr_show_svg(&charts[0].1);\n\
             capture({svg_file:?}, || eventstudy::report::evcxr_show_svg(&charts[0].1))?;\n\
             println!(\"EVCXR_TEST {{}} charts\", charts.len());\n\
             println!(\"EVCXR_TEST charts\");"
        ),
    ];
    let mut script = String::new();
    for cell in cells {
        script.push_str(&cell.replace('\n', LINE_SEP));
        script.push('\n');
    }
    script
}

/// `evcxr` on PATH, else in `$CARGO_HOME/bin` or `~/.cargo/bin` (where `cargo install` puts it).
fn find_evcxr() -> Option<PathBuf> {
    let name = format!("evcxr{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let cargo_bins = [
        std::env::var_os("CARGO_HOME").map(|h| PathBuf::from(h).join("bin")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo").join("bin")),
    ];
    on_path
        .into_iter()
        .chain(cargo_bins.into_iter().flatten())
        .map(|dir| dir.join(&name))
        .find(|p| p.is_file())
}

/// A fresh directory for this run, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("eventstudy-evcxr-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("cannot create a temporary directory for the evcxr test");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn drain(mut from: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Kills evcxr and everything it started (its runtime process and any cargo/rustc), which share
/// its process group.
fn kill_session(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `script` through evcxr and returns (stdout, stderr), panicking on timeout.
fn run_evcxr(evcxr: &Path, script: String, home: &Path, build_dir: &Path) -> (String, String) {
    let mut command = Command::new(evcxr);
    command
        .arg("--disable-readline")
        // Nothing from the user's evcxr setup (init.evcxr, prelude.rs, evcxr.toml, history) leaks
        // in: the config dir and the working directory are this run's empty temp dir.
        .env("EVCXR_CONFIG_DIR", home)
        .current_dir(home)
        // A fixed build directory under target/ keeps the compiled polars between runs: warm runs
        // take seconds instead of minutes.
        .env("EVCXR_TMPDIR", build_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout can kill evcxr together with its runtime and cargo.
    command.process_group(0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", evcxr.display()));
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from a thread: evcxr reads line by line while it compiles, and closing stdin
    // afterwards is what ends the session.
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(script.as_bytes());
    });

    let deadline = Instant::now() + TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(200)),
            Ok(None) => {
                kill_session(&mut child);
                let out = stdout.join().unwrap_or_default();
                let err = stderr.join().unwrap_or_default();
                let output = format!("--- stdout\n{out}\n--- stderr\n{err}");
                panic!("evcxr did not finish within {TIMEOUT:?}; killed it.\n{output}");
            }
            Err(e) => {
                kill_session(&mut child);
                panic!("cannot wait for evcxr: {e}");
            }
        }
    }
    let _ = writer.join();
    (
        stdout.join().expect("the stdout reader thread panicked"),
        stderr.join().expect("the stderr reader thread panicked"),
    )
}

#[test]
fn session_runs_in_evcxr() {
    if std::env::var("EVCXR_TEST").as_deref() != Ok("1") {
        eprintln!(
            "evcxr test skipped: set EVCXR_TEST=1 to run it (needs `cargo install evcxr_repl --version \
             0.22.0 --locked`; the first run compiles polars inside evcxr and takes minutes)"
        );
        return;
    }
    let evcxr = find_evcxr().expect(
        "EVCXR_TEST=1 but no `evcxr` binary on PATH or in ~/.cargo/bin: \
         run `cargo install evcxr_repl --version 0.22.0 --locked`",
    );

    let build_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("evcxr");
    std::fs::create_dir_all(&build_dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", build_dir.display()));
    // Two runs at once would share the build directory: the second waits for the first.
    let lock_path = build_dir.with_extension("lock");
    let lock =
        File::create(&lock_path).unwrap_or_else(|e| panic!("cannot create {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));

    let home = TempDir::new();
    let started = Instant::now();
    let script = session(env!("CARGO_MANIFEST_DIR"), &home.0);
    let (stdout, stderr) = run_evcxr(&evcxr, script, &home.0, &build_dir);
    eprintln!("evcxr session took {:.1?}", started.elapsed());
    let all = format!("{stdout}\n{stderr}");
    let context = format!("\n--- stdout\n{stdout}\n--- stderr\n{stderr}");

    for marker in ERROR_MARKERS {
        assert!(!all.contains(marker), "evcxr printed {marker:?}{context}");
    }
    for marker in MARKERS {
        assert!(
            all.lines().any(|l| l.ends_with(marker)),
            "the cell ending with {marker:?} did not complete{context}"
        );
    }
    for date in ["2016-11-14", "2020-11-13", "2025-09-18"] {
        assert!(
            all.contains(&format!("EVCXR_TEST event {date}")),
            "event {date} was not detected{context}"
        );
        assert!(
            all.contains(&format!("  {date} at ")),
            "event {date} is not in the displayed report{context}"
        );
    }
    // The raw output of `evcxr_display`: an HTML block, then a text/plain one.
    let read = |name: &str| {
        let path = home.0.join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("the session did not write {}: {e}{context}", path.display()))
    };
    let display = read(DISPLAY_FILE);
    // The HTML block is the page's body with its stylesheet: what report.html shows.
    let html = display
        .find("EVCXR_BEGIN_CONTENT text/html\n<style>")
        .filter(|_| display.contains("<div class=\"eventstudy\">"));
    let plain = display.find("EVCXR_BEGIN_CONTENT text/plain\nEvent study on rut");
    assert!(
        matches!((html, plain), (Some(h), Some(p)) if h < p),
        "evcxr_display did not print an HTML block, then a text/plain one:\n{display}"
    );
    assert_eq!(
        display.matches("EVCXR_END_CONTENT").count(),
        2,
        "evcxr_display's blocks are not each closed:\n{display}"
    );
    let svg = read(SVG_FILE);
    assert!(
        svg.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg") && svg.contains("EVCXR_END_CONTENT"),
        "evcxr_show_svg did not print an SVG block:\n{svg}"
    );

    // What the REPL printed for the report as a cell value: the text/plain block only (the
    // REPL consumes the blocks and shows no HTML). No HTML or block marker leaking into the
    // output shows that evcxr recognised every block and found its end.
    assert!(
        all.contains("3 events: even a perfect record cannot reach p < 0.25"),
        "the displayed report lacks the three-event caveat{context}"
    );
    assert!(
        all.contains("Event study on rut (data through"),
        "the report's text/plain block was not shown{context}"
    );
    for leak in [
        "EVCXR_BEGIN_CONTENT",
        "EVCXR_END_CONTENT",
        "<div",
        "<table",
        "<svg",
    ] {
        assert!(
            !all.contains(leak),
            "{leak:?} leaked into the output: a display block is malformed{context}"
        );
    }
    assert!(
        all.contains("shape: (1, "),
        "the DataFrame was not printed{context}"
    );
}
