//! `report.html` in a real browser: headless Chromium (Debian package `chromium`; `.ci/run`
//! installs it when it is missing) renders the pages both examples write. The DOM must hold the
//! key numbers, every caveat and every inline chart as an `<svg>` element; a screenshot must be
//! a page of the expected size that is not blank. If the browser cannot start, the test fails
//! and says so: a page nobody rendered is not a tested page.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser binary: `CHROMIUM` if set, else the first of the usual names on `PATH`.
fn browser() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
        if let Some(found) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
        {
            return found;
        }
    }
    panic!(
        "no Chromium found (looked for chromium, chromium-browser, google-chrome, chrome on PATH, \
         and $CHROMIUM): install it (Debian: apt-get install chromium) to test report.html"
    );
}

/// Runs headless Chromium on `page` with `args`; its stdout, or a failure naming what went wrong.
fn headless(page: &Path, args: &[&str]) -> String {
    let out = Command::new(browser())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("Chromium could not start: {e}"));
    assert!(
        out.status.success(),
        "Chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How many pixels of a PNG differ from its top-left (background) pixel, and its size.
fn ink(png_path: &Path) -> (usize, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("a screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples();
    let background = &bytes[..px];
    let inked = bytes.chunks(px).filter(|p| p != &background).count();
    (inked, info.width, info.height)
}

fn example(name: &str) -> PathBuf {
    let mut dir = std::env::current_exe().expect("test binary path");
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.join("examples").join(name)
}

/// Runs an example with `args` and returns its output directory's `report.html`.
fn page_of(name: &str, args: &[&str]) -> PathBuf {
    let out = std::env::temp_dir().join(format!("eventstudy-browser-{name}-{}", std::process::id()));
    let status = Command::new(example(name))
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e} (cargo test builds the examples)"));
    assert!(
        status.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out.join("report.html")
}

/// The text of a page the way Chromium serialises it in `--dump-dom`: `&`, `<`, `>` escaped.
fn as_dom_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn check_rendered(page: &Path, caveats: &[String], numbers: &[String]) {
    let html = std::fs::read_to_string(page).expect("the page");
    // Self-contained: no script, and nothing fetched (the SVG namespace is a name, not a fetch).
    assert!(!html.contains("<script"), "the page has a script");
    for fetch in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(fetch), "the page fetches something: {fetch}");
    }
    let dom = headless(page, &["--dump-dom"]);
    assert!(dom.contains("<table"), "no table in the DOM");
    for c in caveats {
        assert!(dom.contains(&as_dom_text(c)), "caveat missing from the DOM: {c}");
    }
    for n in numbers {
        assert!(dom.contains(n.as_str()), "number missing from the DOM: {n}");
    }
    let inline = html.matches("<svg").count();
    assert!(inline >= 2, "{inline} inline charts");
    assert_eq!(
        dom.matches("<svg").count(),
        inline,
        "every inline chart is an <svg> element"
    );
    assert_eq!(
        dom.matches("<title>").count() - 1,
        inline,
        "every chart has a <title>"
    );
    // A laptop-sized screenshot that is not blank.
    let shot = page.with_file_name("screenshot.png");
    headless(
        page,
        &[
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let (inked, w, h) = ink(&shot);
    assert_eq!((w, h), (1280, 1600));
    let share = inked as f64 / f64::from(w * h);
    assert!(
        share > 0.02,
        "the page looks blank: {:.1}% of its pixels are not background",
        share * 100.0
    );
}

#[test]
fn both_studies_write_a_report_html_that_renders_in_chromium() {
    // The forward study, with few draws (the page's content, not its numbers, is under test).
    let page = page_of(
        "russell_crypto",
        &["--draws", "500", "--spec-draws", "0", "--no-sensitivity"],
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(page.with_file_name("report.json")).unwrap()).unwrap();
    let results = json["results"].as_array().unwrap();
    let caveats: Vec<String> = results
        .iter()
        .filter(|r| r["primary"] == true)
        .map(|r| r["caveat"]["sentence"].as_str().unwrap().to_string())
        .collect();
    assert!(!caveats.is_empty());
    let numbers = vec![
        json["data_through"].as_str().unwrap().to_string(),
        format!("{} placebo draws", json["draws"]),
    ];
    check_rendered(&page, &caveats, &numbers);

    // The classic study.
    let page = page_of("classic", &["--draws", "500"]);
    let rut: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(page.with_file_name("rut_breakouts.json")).unwrap())
            .unwrap();
    let caveats: Vec<String> = rut["car"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["caveat"]["sentence"].as_str().unwrap().to_string())
        .collect();
    let caar = format!("{:+.1}", rut["car"][1]["caar"].as_f64().unwrap() * 100.0);
    check_rendered(
        &page,
        &caveats,
        &[caar, "Did altcoins beat what their BTC beta implies?".into()],
    );
}
