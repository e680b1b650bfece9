//! The examples as a user pipes them: `| head -1`, `| grep -q` close stdout early, and that must
//! be a normal end (status 0, no panic), not "failed printing to stdout: Broken pipe".
//!
//! The binaries are the ones `cargo test` builds next to this test (`target/debug/examples/`).

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Runs per case: the early-close race is timing-dependent, so it is exercised many times.
const RUNS: usize = 50;

fn example(name: &str) -> PathBuf {
    // target/debug/deps/integration-HASH → target/debug/examples/NAME
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/debug")
        .join("examples");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: `cargo test` builds the examples (or run `cargo build --examples`)",
        path.display()
    );
    path
}

/// How the reader treats the example's stdout.
#[derive(Debug, Clone, Copy)]
enum Reader {
    /// Reads the first line, then closes the pipe (as `head -1` does).
    FirstLine,
    /// Closes the pipe before the example writes anything: every write fails.
    ClosedAtOnce,
}

/// Runs `name args` under `reader`, returning its stderr; asserts status 0 and no panic.
fn run_piped(name: &str, args: &[&str], reader: Reader) -> String {
    let mut child = Command::new(example(name))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn example");
    let stdout = child.stdout.take().expect("piped stdout");
    match reader {
        Reader::FirstLine => {
            let mut line = String::new();
            BufReader::new(stdout)
                .read_line(&mut line)
                .expect("read one line");
            assert!(!line.is_empty(), "{name} {args:?}: no output");
        } // dropped here: the pipe closes while the example may still be writing
        Reader::ClosedAtOnce => drop(stdout),
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    let status = child.wait().expect("wait for example");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{name} {args:?} ({reader:?}): {stderr}"
    );
    assert!(
        status.success(),
        "{name} {args:?} ({reader:?}): {status}; stderr: {stderr}"
    );
    stderr
}

#[test]
fn examples_end_quietly_when_stdout_closes_early() {
    let out = std::env::temp_dir().join(format!("eventstudy-pipe-{}", std::process::id()));
    let out = out.to_str().expect("UTF-8 temp path").to_string();
    // Few draws and one asset keep each debug run short; the output is still many lines.
    let study = [
        "--draws",
        "200",
        "--no-sensitivity",
        "--assets",
        "btc,eth",
        "--out",
        &out,
    ];
    let json: Vec<&str> = study.iter().copied().chain(["--json"]).collect();
    let cases: [(&str, &[&str]); 4] = [
        ("datasets", &[]),
        ("russell_crypto", &["--help"]),
        ("russell_crypto", &study),
        ("russell_crypto", &json),
    ];
    for (name, args) in cases {
        run_piped(name, args, Reader::ClosedAtOnce);
        let runs = if name == "datasets" || args == ["--help"] {
            RUNS
        } else {
            RUNS / 5
        };
        for _ in 0..runs {
            run_piped(name, args, Reader::FirstLine);
        }
    }
    // --json still says on stderr what it wrote, and a closed stdout does not hide that.
    let stderr = run_piped("russell_crypto", &json, Reader::ClosedAtOnce);
    assert!(stderr.contains("wrote "), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn write_errors_other_than_a_closed_pipe_fail() {
    // /dev/full accepts the open and fails every write with ENOSPC: not a normal end.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not a Linux-like system
    };
    let output = Command::new(example("datasets"))
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("run datasets");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
