//! The CSV as text cells: separator, lines above the header, header rows, field counts.
//!
//! The `csv` crate splits records (RFC 4180 quoting, so a quoted field may hold separators and
//! line breaks); everything a person would want named in an error — the file line of each
//! row, a row with the wrong number of fields — is tracked here.

use crate::error::{Error, Result};

/// How to read the text before any layout is known.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TableOptions {
    /// The field separator; detected from the header line when `None`.
    pub(crate) delimiter: Option<u8>,
    /// Price files: skip one-field lines above the header (CryptoDataDownload's URL line),
    /// read yfinance's extra header rows, and recognise Binance's headerless kline dumps.
    pub(crate) price_file: bool,
}

/// Column names of a Binance kline dump, which has no header.
pub(crate) const BINANCE_COLUMNS: [&str; 12] = [
    "open_time",
    "open",
    "high",
    "low",
    "close",
    "volume",
    "close_time",
    "quote_volume",
    "count",
    "taker_buy_volume",
    "taker_buy_quote_volume",
    "ignore",
];

/// The header as the file wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum HeaderKind {
    /// One header line.
    #[default]
    Single,
    /// yfinance's `Price,…` / `Ticker,…` / `Date,,…` rows; the tickers of the data columns.
    Yfinance { tickers: Vec<String> },
    /// No header: Binance kline columns were assumed.
    Headerless,
}

/// The CSV as strings, with each data row's line number in the file.
pub(crate) struct Table {
    /// Header names, trimmed.
    pub(crate) headers: Vec<String>,
    /// Header names as written (untrimmed), for layouts known by their spacing.
    pub(crate) raw_headers: Vec<String>,
    /// Every data cell, row after row, unquoted, one after another.
    text: String,
    /// The end of each cell in `text` (row-major, `headers.len()` per row; short rows padded).
    ends: Vec<u32>,
    /// The file line of each data row (1-based, header = 1), blank lines skipped.
    pub(crate) rows: Vec<usize>,
    /// Data rows with fewer fields than the header: (row index, fields).
    pub(crate) short: Vec<(usize, usize)>,
    /// The separator used.
    pub(crate) delimiter: u8,
    /// One-field lines skipped above the header: (line, text).
    pub(crate) preamble: Vec<(usize, String)>,
    /// How the header was written.
    pub(crate) header: HeaderKind,
    /// Lines the header took.
    pub(crate) header_lines: usize,
}

/// A strict table: `,` separated, one header line, every row as wide as the header.
pub(crate) fn read_table(bytes: &[u8], source: &str) -> Result<Table> {
    let table = read_table_with(bytes, source, TableOptions::default())?;
    if let Some(&(i, fields)) = table.short.first() {
        return Err(Error::RaggedRow {
            file: source.to_string(),
            row: table.rows[i],
            fields,
            expected: table.headers.len(),
        });
    }
    Ok(table)
}

/// The field separator of a header line: the most frequent of `,`, `;` and tab outside quotes
/// (`,` on a tie or when there is none).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    let mut seen_text = false;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted && seen_text && counts.iter().any(|&c| c > 0) => break,
            b'\n' | b'\r' if !quoted => counts = [0; 3],
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => seen_text = true,
        }
    }
    let [comma, semi, tab] = counts;
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// Reads the text into a [`Table`]. Rows with more fields than the header are an
/// [`Error::RaggedRow`]; shorter ones are kept (padded with empty cells) and listed in
/// [`Table::short`], for the layout to accept by rule or reject.
pub(crate) fn read_table_with(bytes: &[u8], source: &str, options: TableOptions) -> Result<Table> {
    let file = || source.to_string();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Error::Csv {
            file: file(),
            message: format!("not UTF-8 text ({e})"),
        });
    }
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(bytes));
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = ::csv::StringRecord::new();
    let mut table = Table {
        headers: Vec::new(),
        raw_headers: Vec::new(),
        text: String::with_capacity(bytes.len()),
        ends: Vec::new(),
        rows: Vec::new(),
        short: Vec::new(),
        delimiter,
        preamble: Vec::new(),
        header: HeaderKind::Single,
        header_lines: 0,
    };
    let mut have_header = false;
    // Lines are counted here from each record's byte offset: the reader's own count leaves
    // out the empty lines it skips.
    let (mut line, mut counted) = (1usize, 0usize);
    let mut line_at = |mut byte: usize| {
        // A record's position is where the reader started, before the empty lines it skipped.
        while matches!(bytes.get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        line += bytes.get(counted..byte).map_or(0, line_breaks);
        counted = byte;
        line
    };
    loop {
        let next = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Error::Csv {
                    file: file(),
                    message: format!("line {}: {e}", line_at(next)),
                });
            }
        }
        // A line of nothing but spaces is blank, as an empty line is.
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let line = line_at(record.position().map_or(next, |p| p.byte() as usize));
        if !have_header {
            if options.price_file && record.len() == 1 {
                table.preamble.push((line, record[0].to_string()));
                continue;
            }
            have_header = true;
            if options.price_file && is_kline(&record) {
                table.headers = BINANCE_COLUMNS.iter().map(|s| s.to_string()).collect();
                table.raw_headers = table.headers.clone();
                table.header = HeaderKind::Headerless;
            } else {
                table.raw_headers = record.iter().map(str::to_string).collect();
                table.headers = record.iter().map(|h| h.trim().to_string()).collect();
                table.header_lines = 1;
                continue;
            }
        } else if options.price_file && table.rows.is_empty() && continues_yfinance_header(&table, &record) {
            let first = record[0].trim();
            if first.eq_ignore_ascii_case("ticker") || first.is_empty() {
                let tickers = record.iter().skip(1).map(|t| t.trim().to_string()).collect();
                table.header = HeaderKind::Yfinance { tickers };
            } else {
                // `Date,,,` or `Datetime,,,`: the index's name, for the first column.
                table.headers[0] = first.to_string();
                table.raw_headers[0] = first.to_string();
                if table.header == HeaderKind::Single {
                    table.header = HeaderKind::Yfinance { tickers: Vec::new() };
                }
            }
            table.header_lines += 1;
            continue;
        }
        let width = table.headers.len();
        if record.len() > width {
            return Err(Error::RaggedRow {
                file: file(),
                row: line,
                fields: record.len(),
                expected: width,
            });
        }
        if record.len() < width {
            table.short.push((table.rows.len(), record.len()));
        }
        for field in record.iter().chain(std::iter::repeat_n("", width - record.len())) {
            table.text.push_str(field);
            table
                .ends
                .push(u32::try_from(table.text.len()).map_err(|_| Error::Csv {
                    file: file(),
                    message: "larger than 4 GiB".into(),
                })?);
        }
        table.rows.push(line);
    }
    if !have_header {
        // Only one-field lines: they were the header and its rows after all.
        if let Some((_, name)) = table.preamble.first().cloned() {
            table.headers = vec![name.trim().to_string()];
            table.raw_headers = vec![name];
            table.header_lines = 1;
            for (l, text) in std::mem::take(&mut table.preamble).into_iter().skip(1) {
                table.text.push_str(&text);
                table
                    .ends
                    .push(u32::try_from(table.text.len()).unwrap_or(u32::MAX));
                table.rows.push(l);
            }
        } else {
            return Err(Error::EmptyFile { file: file() });
        }
    }
    Ok(table)
}

/// A yfinance header row after `Price,…`: `Ticker,SPY,SPY,…` (or, in older multi-ticker files
/// under an empty first cell, a row of tickers), or `Date,,,…` / `Datetime,,,…`.
fn continues_yfinance_header(table: &Table, record: &::csv::StringRecord) -> bool {
    let first_header = table.headers.first().map(String::as_str).unwrap_or("");
    let yfinance = first_header.eq_ignore_ascii_case("price") || first_header.is_empty();
    if !yfinance || record.len() != table.headers.len() || table.header_lines > 2 {
        return false;
    }
    let first = record[0].trim();
    let rest_empty = record.iter().skip(1).all(|c| c.trim().is_empty());
    let rest_text = record.iter().skip(1).all(|c| {
        let c = c.trim();
        !c.is_empty() && c.parse::<f64>().is_err()
    });
    (first.eq_ignore_ascii_case("ticker") && rest_text)
        || (first.is_empty() && rest_text && table.header_lines == 1)
        || ((first.eq_ignore_ascii_case("date") || first.eq_ignore_ascii_case("datetime")) && rest_empty)
}

/// A Binance kline row: 12 numeric fields, the first an open time in ms or µs.
fn is_kline(record: &::csv::StringRecord) -> bool {
    record.len() == BINANCE_COLUMNS.len()
        && record[0].len() >= 12
        && record[0].bytes().all(|b| b.is_ascii_digit())
        && record.iter().all(|c| c.trim().parse::<f64>().is_ok())
}

/// Line breaks in `bytes`: `\n`, `\r\n` or a lone `\r`, as the reader splits records.
fn line_breaks(bytes: &[u8]) -> usize {
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

impl Table {
    /// The cell of column `col` in data row `row` (None when empty, as a missing value).
    pub(crate) fn cell(&self, col: usize, row: usize) -> Option<&str> {
        let cell = self.raw_cell(col, row);
        (!cell.is_empty()).then_some(cell)
    }

    /// The cell as text, empty when the row has none.
    pub(crate) fn raw_cell(&self, col: usize, row: usize) -> &str {
        let i = row * self.headers.len() + col;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// Whether two data rows hold the same text in every cell.
    pub(crate) fn same_row(&self, a: usize, b: usize) -> bool {
        (0..self.headers.len()).all(|c| self.raw_cell(c, a) == self.raw_cell(c, b))
    }

    /// The cells of one column, in file order.
    pub(crate) fn column(&self, col: usize) -> impl Iterator<Item = &str> + Clone {
        (0..self.rows.len()).map(move |r| self.raw_cell(col, r))
    }
}
