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
        "--spec-draws",
        "0",
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

/// Runs `russell_crypto` with `args` (small and fast), returning (status code, stdout, stderr).
/// Runs an example to its end: (exit status, stdout, stderr).
fn run_example(name: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(example(name))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"));
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn russell(args: &[&str]) -> (Option<i32>, String, String) {
    run_example("russell_crypto", args)
}

fn json_run(extra: &[&str]) -> serde_json::Value {
    let out = std::env::temp_dir().join(format!("eventstudy-flags-{}", std::process::id()));
    let out = out.to_str().expect("UTF-8 temp path").to_string();
    let mut args = vec![
        "--json",
        "--draws",
        "200",
        "--spec-draws",
        "0",
        "--no-sensitivity",
        "--out",
        out.as_str(),
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = russell(&args);
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

#[test]
fn every_flag_of_the_main_example_does_what_its_help_says() {
    // --help: the usage, status 0; a flag missing its value or with a bad one: status 2.
    let (code, help, _) = russell(&["--help"]);
    assert_eq!(code, Some(0));
    for flag in [
        "--rule",
        "--assets",
        "--horizons",
        "--draws",
        "--seed",
        "--out",
        "--data-dir",
        "--json",
    ] {
        assert!(help.contains(flag), "--help lists {flag}");
    }
    for (args, message) in [
        (&["--draws"][..], "--draws needs a value"),
        (&["--rule", "sideways"][..], "unknown rule"),
        (&["--rule", "above"][..], "needs a level"),
        (&["--horizons", "90x"][..], "horizon"),
        (&["--seed", "-1"][..], "--seed needs a whole number"),
        (&["--spec-draws", "many"][..], "--spec-draws needs a whole number"),
        (&["--assets", ","][..], "at least one asset"),
    ] {
        let (code, _, stderr) = russell(args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message) && stderr.contains("usage:"),
            "{args:?}: {stderr}"
        );
    }
    // Each --rule form selects that rule, in words.
    let v = json_run(&[
        "--assets",
        "btc",
        "--rule",
        "ath_close:120,ath_high",
        "--rule",
        "above:2600",
        "--rule",
        "relative:500",
    ]);
    let rules: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "ATH close after 120-day drought",
            "ATH intraday high after 250-day drought",
            "first close above 2600 after 250 days at or below",
            "ratio to gspc: above prior 500-day high, events 500+ days apart",
        ]
    );
    // --mtgox adds BTC with its Mt.Gox-era closes, whatever --assets says: four events at 90 days.
    let v = json_run(&[
        "--mtgox",
        "--assets",
        "btc",
        "--rule",
        "ath_close",
        "--horizons",
        "90",
    ]);
    let mtgox = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["asset"] == "btc_with_mtgox" && r["sample"] == "all")
        .expect("btc_with_mtgox result");
    assert_eq!(mtgox["event_dates"][0], "2013-01-02");
    assert_eq!(mtgox["n_events"], 4);
    // --spec-draws: the curve's draws (0 skips it; a later flag wins).
    let v = json_run(&["--assets", "btc", "--rule", "ath_close", "--spec-draws", "50"]);
    assert_eq!(v["spec_curve"]["draws"], 50);
    assert!(v["spec_curve"]["rows"].as_array().unwrap().len() > 100);
    assert!(
        json_run(&["--assets", "btc", "--rule", "ath_close"])
            .get("spec_curve")
            .is_none()
    );
    // --horizons with trading days; --assets picks the targets.
    let v = json_run(&[
        "--assets",
        "btc,eth",
        "--rule",
        "ath_close",
        "--horizons",
        "21td,30",
    ]);
    let horizons: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["horizon"].as_str().unwrap())
        .collect();
    assert!(
        horizons.contains(&"21td") && horizons.contains(&"30d"),
        "{horizons:?}"
    );
    let assets: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["asset"].as_str().unwrap())
        .collect();
    assert!(assets.iter().all(|a| ["btc", "eth"].contains(a)) && assets.contains(&"eth"));
    // --seed is recorded and moves the Monte-Carlo p; the same seed repeats it exactly.
    let btc90 = |extra: &[&str]| {
        let mut args = vec!["--assets", "btc", "--rule", "ath_close", "--horizons", "90"];
        args.extend_from_slice(extra);
        json_run(&args)
    };
    let p = |v: &serde_json::Value| v["results"][0]["p_placebo"].as_f64().unwrap();
    let (a, a2, b) = (
        btc90(&["--seed", "11"]),
        btc90(&["--seed", "11"]),
        btc90(&["--seed", "12"]),
    );
    assert_eq!((a["seed"].as_u64(), a["draws"].as_u64()), (Some(11), Some(200)));
    assert_eq!(p(&a), p(&a2));
    assert_ne!(p(&a), p(&b));
    // The placebo options are recorded and change the comparison.
    let spaced = btc90(&["--seed", "11", "--space-placebo"]);
    assert_eq!(spaced["placebo_dates_spaced"], true);
    assert_ne!(p(&spaced), p(&a));
    let excl = btc90(&["--exclude-event-windows"]);
    assert_eq!(excl["baseline_excludes_event_windows"], true);
    assert!(excl["results"][0]["baseline"]["n"].as_u64() < a["results"][0]["baseline"]["n"].as_u64());
}

fn classic(args: &[&str]) -> (Option<i32>, String, String) {
    run_example("classic", args)
}

#[test]
fn the_classic_example_runs_the_altcoin_study_and_any_file() {
    let out = std::env::temp_dir().join(format!("eventstudy-classic-{}", std::process::id()));
    let dir = out.to_str().expect("UTF-8 temp path");
    // No arguments: both altcoin studies, their caveats and files.
    let (code, stdout, stderr) = classic(&["--out", dir]);
    assert_eq!(code, Some(0), "{stderr}");
    for s in [
        "## rut_breakouts",
        "## crypto_events",
        "market model on btc",
        "is detected less than 80% of the time",
    ] {
        assert!(stdout.contains(s), "{s}: {stdout}");
    }
    for f in [
        "rut_breakouts.json",
        "crypto_events_car.csv",
        "crypto_events_events.csv",
        "rut_breakouts_aar.csv",
    ] {
        assert!(
            out.join(f).metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{f}"
        );
    }
    // A file of the user's: estudy2's rates (log returns), JSON on stdout and nothing else.
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let events = out.join("events.csv");
    std::fs::write(
        &events,
        "security,date\nAMZN,2020-03-16\nNFLX,2020-03-16\nFB,2020-03-16\n",
    )
    .unwrap();
    let rates = format!("{fixtures}/estudy2_rates.csv");
    // The file, its market and events, JSON out: what both runs below share.
    let with_windows = |windows: &[&str]| -> (Option<i32>, String, String) {
        let mut args = vec![
            "--returns",
            &rates,
            "--log",
            "--market",
            "GSPC",
            "--events",
            events.to_str().unwrap(),
            "--json",
            "--out",
            dir,
        ];
        args.extend_from_slice(windows);
        classic(&args)
    };
    let (code, stdout, stderr) =
        with_windows(&["--estimation", "-240:-1", "--window", "0:4", "--car", "0:4,0:1"]);
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["returns"], "log");
    assert_eq!(json["car"][0]["window"], "0:4");
    assert!(json["car"][0]["tests"]["grank"]["p"].is_f64());
    assert!(
        json["car"][0]["caveat"]["sentence"]
            .as_str()
            .unwrap()
            .starts_with("3 events")
    );
    // The same periods as dates (estudy2's style) give the same CARs.
    let (code, by_date, stderr) = with_windows(&[
        "--estimation-dates",
        "2019-04-01:2020-03-13",
        "--window-dates",
        "2020-03-16:2020-03-20",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let by_date: serde_json::Value = serde_json::from_str(&by_date).expect("JSON");
    assert_eq!(by_date["car"][0]["caar"], json["car"][0]["caar"]);
    assert_eq!(
        classic(&["--estimation-dates", "2019-04-01:2020-03-13"]).0,
        Some(2)
    );
    // Bad flags: usage and status 2; a bad file: its name and row.
    assert_eq!(classic(&["--bogus"]).0, Some(2));
    assert_eq!(classic(&["--estimation", "5:1"]).0, Some(2));
    assert_eq!(classic(&["--returns", &rates]).0, Some(2));
    let bad = out.join("bad.csv");
    std::fs::write(&bad, "date,A,M\n2020-01-02,0.01,0.02\n2020-01-03,x,0.01\n").unwrap();
    let (code, _, stderr) = classic(&[
        "--returns",
        bad.to_str().unwrap(),
        "--market",
        "M",
        "--events",
        events.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("bad.csv") && stderr.contains("row 3"), "{stderr}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn inspect_reports_every_file_and_fails_when_one_fails() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loaders");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv") && !p.ends_with("expected.csv"))
        .collect();
    files.sort();
    let out = Command::new(example("inspect"))
        .arg("--json")
        .args(&files)
        .output()
        .unwrap();
    // european_damage.csv is rejected (and the two Binance dumps and the yfinance intraday
    // file without --resample-daily): status 1, one JSON object per file all the same.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), files.len());
    let keys = [
        "file",
        "ok",
        "layout",
        "close_column",
        "rows",
        "first_date",
        "last_date",
        "first_close",
        "last_close",
        "missing",
        "warnings",
        "error",
    ];
    let mut failed = Vec::new();
    for l in &lines {
        let obj = l.as_object().unwrap();
        let mut got: Vec<&str> = obj.keys().map(String::as_str).collect();
        got.sort_unstable();
        let mut want = keys.to_vec();
        want.sort_unstable();
        assert_eq!(got, want);
        if l["ok"] == false {
            assert!(l["error"].is_string() && l["layout"].is_null(), "{l}");
            failed.push(
                PathBuf::from(l["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        } else {
            assert!(l["error"].is_null() && l["rows"].as_u64().unwrap() > 0, "{l}");
        }
    }
    assert_eq!(
        failed,
        [
            "binance_klines_header.csv",
            "binance_klines_noheader.csv",
            "european_damage.csv",
            "yfinance_intraday.csv"
        ]
    );
    let investing = lines
        .iter()
        .find(|l| l["file"].as_str().unwrap().ends_with("investing_us.csv"))
        .unwrap();
    assert_eq!(
        (&investing["layout"], &investing["close_column"]),
        (&"investing".into(), &"Price".into())
    );
    assert_eq!(
        (&investing["first_date"], &investing["last_close"]),
        (&"2025-10-31".into(), &47716.42.into())
    );
    // Text, resampled intraday files, and every file fine: status 0.
    let ok = Command::new(example("inspect"))
        .args(["--resample-daily"])
        .arg(dir.join("yfinance_intraday.csv"))
        .arg(dir.join("yahoo_negative_volume.csv"))
        .output()
        .unwrap();
    assert!(ok.status.success());
    let text = String::from_utf8(ok.stdout).unwrap();
    for part in [
        "layout       yfinance",
        "close column \"Adj Close\"",
        "warning      row 5, column \"Volume\"",
        "16 intraday bars resampled to 3 daily closes",
    ] {
        assert!(text.contains(part), "{part:?} in\n{text}");
    }
    let bad = Command::new(example("inspect")).arg("--bogus").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
