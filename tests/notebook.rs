//! `examples/notebook.ipynb` executed by Jupyter itself on the evcxr kernel, as a reader would
//! run it: `jupyter nbconvert --to notebook --execute`. Every code cell must run, none may give an
//! error output (or a compiler error on a stream), and the outputs must hold the study's HTML
//! table and at least one inline SVG.
//!
//! Opt-in like the evcxr session test, because the first run compiles polars inside the kernel:
//!
//! ```text
//! cargo install evcxr_jupyter --version 0.22.0 --locked && evcxr_jupyter --install
//! pip install jupyter nbconvert
//! EVCXR_TEST=1 cargo test --test integration notebook
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

/// The first of `names` on PATH or in `~/.cargo/bin` / `~/.local/bin`.
fn find(names: &[&str]) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let extra = home
        .iter()
        .flat_map(|h| [h.join(".cargo/bin"), h.join(".local/bin")]);
    dirs.into_iter()
        .chain(extra)
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// Problems in one executed notebook: error outputs, compiler errors on a stream, cells that
/// did not run; and whether an HTML table and an SVG were shown.
fn inspect(executed: &serde_json::Value) -> (Vec<String>, bool, bool) {
    let (mut problems, mut table, mut svg) = (Vec::new(), false, false);
    let cells = executed["cells"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, cell) in cells.iter().enumerate().filter(|(_, c)| c["cell_type"] == "code") {
        if cell["execution_count"].is_null() {
            problems.push(format!("cell {i} did not run"));
        }
        for out in cell["outputs"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let text = |v: &serde_json::Value| match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(lines) => lines.iter().filter_map(|l| l.as_str()).collect(),
                _ => String::new(),
            };
            match out["output_type"].as_str() {
                Some("error") => problems.push(format!(
                    "cell {i}: {}: {}",
                    out["ename"].as_str().unwrap_or("?"),
                    out["evalue"].as_str().unwrap_or("?")
                )),
                Some("stream") => {
                    let t = text(&out["text"]);
                    if ["error[E", "error:", "Error:", "panicked"]
                        .iter()
                        .any(|m| t.contains(m))
                    {
                        problems.push(format!("cell {i} printed an error: {t}"));
                    }
                }
                _ => {
                    let html = text(&out["data"]["text/html"]);
                    table |= html.contains("<table");
                    svg |= html.contains("<svg") || !out["data"]["image/svg+xml"].is_null();
                }
            }
        }
    }
    (problems, table, svg)
}

#[test]
fn the_notebook_runs_clean_under_jupyter() {
    if std::env::var("EVCXR_TEST").as_deref() != Ok("1") {
        eprintln!(
            "notebook test skipped: set EVCXR_TEST=1 to run it (needs jupyter, nbconvert and the \
             evcxr_jupyter kernel; the first run compiles polars inside the kernel)"
        );
        return;
    }
    let jupyter = find(&["jupyter"]).expect(
        "EVCXR_TEST=1 but no `jupyter` on PATH: pip install jupyter nbconvert, and \
         cargo install evcxr_jupyter --version 0.22.0 --locked && evcxr_jupyter --install",
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::temp_dir().join(format!("eventstudy-notebook-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("a temporary directory");
    // evcxr's build directory under target/, so a warm run reuses the compiled polars.
    let build = root.join("target").join("evcxr-jupyter");
    let run = Command::new(&jupyter)
        .args(["nbconvert", "--to", "notebook", "--execute"])
        .arg(root.join("examples/notebook.ipynb"))
        .arg("--output-dir")
        .arg(&out)
        .args([
            "--output",
            "executed.ipynb",
            "--ExecutePreprocessor.timeout=1800",
            "--ExecutePreprocessor.kernel_name=rust",
        ])
        .env("EVCXR_TMPDIR", &build)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", jupyter.display()));
    assert!(
        run.status.success(),
        "jupyter nbconvert failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let executed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("executed.ipynb")).expect("the executed notebook"),
    )
    .expect("the executed notebook is JSON");
    let (problems, table, svg) = inspect(&executed);
    assert!(
        problems.is_empty(),
        "the notebook did not run clean:\n{}",
        problems.join("\n")
    );
    assert!(table, "no HTML table among the notebook's outputs");
    assert!(svg, "no inline SVG among the notebook's outputs");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_notebook_with_an_error_output_is_reported() {
    // The checker itself, on a hand-made executed notebook: it must not pass a failed cell.
    let nb = serde_json::json!({"cells": [
        {"cell_type": "code", "execution_count": 1, "outputs": [
            {"output_type": "display_data", "data": {"text/html": "<table></table><svg></svg>"}}
        ]},
        {"cell_type": "code", "execution_count": 2, "outputs": [
            {"output_type": "error", "ename": "Error", "evalue": "cannot find value `x`"}
        ]},
        {"cell_type": "code", "execution_count": null, "outputs": []},
        {"cell_type": "code", "execution_count": 3, "outputs": [
            {"output_type": "stream", "name": "stderr", "text": ["error[E0425]: cannot find value"]}
        ]}
    ]});
    let (problems, table, svg) = inspect(&nb);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(table && svg);
}
