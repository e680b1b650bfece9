//! What the examples share: standard output that treats a closed pipe as a normal end.
//!
//! Rust ignores `SIGPIPE`, so a write to a closed pipe (`| head -3`, `| grep -q`) is an
//! `ErrorKind::BrokenPipe` error, and `println!` panics on it. The examples write through
//! [`with_stdout`] instead: the reader has all it wanted, so the program ends with status 0.

use std::fmt::Display;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

/// Runs `write` with a locked, buffered stdout and turns how it ended into an exit status:
/// success, or a closed pipe, is 0; any other write error is a message on stderr and 1.
pub fn with_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    // Flush here, not in Drop: Drop would swallow a real error.
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            // What is still buffered has nowhere to go; drop it without a second error.
            let _ = out.into_parts();
            ExitCode::SUCCESS
        }
        Err(e) => {
            warn(format_args!("error: cannot write to stdout: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// One line on stderr. Unlike `eprintln!`, a closed stderr is not a panic.
pub fn warn(message: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}
