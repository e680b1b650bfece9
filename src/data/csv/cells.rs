//! Cells to values: numbers and dates in the forms download sites write them, with a file's
//! date format decided once, from the whole column, and only when the column proves it.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Why a numeric cell was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not a number in any accepted form.
    NotANumber,
    /// Dotted groups such as `14.748.800.659.179.600`: a number re-saved by a spreadsheet in a
    /// locale whose thousands separator is `.`, its decimal point lost.
    LocaleDamage,
}

impl NumberError {
    /// The sentence an error or warning adds after "is not a number".
    pub(crate) fn hint(self) -> &'static str {
        match self {
            NumberError::NotANumber => "",
            NumberError::LocaleDamage => {
                ": it looks like a number re-saved by a spreadsheet in a European locale \
                 ('.' read as a thousands separator, so the decimal point is lost); \
                 export the file again with '.' as the decimal separator"
            }
        }
    }
}

/// Parses a price: `1234.5`, `8.61E+11`, `$134.91`, `"1,234.5"` (comma thousands groups), and
/// with `decimal_comma` (files separated by `;`, as European spreadsheets write them)
/// `1.234,5` or `1234,5`.
pub(crate) fn parse_number(value: &str, decimal_comma: bool) -> Result<f64, NumberError> {
    let v = value.trim();
    let (negative, unsigned) = match v.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, v),
    };
    let digits = unsigned.strip_prefix('$').unwrap_or(unsigned).trim_start();
    let sign = if negative { -1.0 } else { 1.0 };
    if decimal_comma {
        let (int, frac) = digits.split_once(',').unwrap_or((digits, ""));
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::NotANumber);
        }
        let int = ungroup(int, '.').ok_or(if int.matches('.').count() >= 2 {
            NumberError::LocaleDamage
        } else {
            NumberError::NotANumber
        })?;
        let text = if frac.is_empty() {
            int
        } else {
            format!("{int}.{frac}")
        };
        return text
            .parse::<f64>()
            .map(|x| sign * x)
            .map_err(|_| NumberError::NotANumber);
    }
    if digits.starts_with(['-', '+']) {
        return Err(NumberError::NotANumber);
    }
    if let Ok(x) = digits.parse::<f64>() {
        // "inf" and "NaN" parse too: the series checks reject them with their own reason.
        return Ok(sign * x);
    }
    if is_dotted_groups(digits) {
        return Err(NumberError::LocaleDamage);
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || digits.ends_with('.') {
        return Err(NumberError::NotANumber);
    }
    let int = ungroup(int, ',').ok_or(NumberError::NotANumber)?;
    let text = if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    };
    text.parse::<f64>()
        .map(|x| sign * x)
        .map_err(|_| NumberError::NotANumber)
}

/// `1,234,567` → `1234567` for the separator given; plain digits pass; anything else is None.
fn ungroup(int: &str, sep: char) -> Option<String> {
    if int.bytes().all(|b| b.is_ascii_digit()) && !int.is_empty() {
        return Some(int.to_string());
    }
    let groups: Vec<&str> = int.split(sep).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    grouped.then(|| groups.concat())
}

/// Two or more `.`-separated groups of three digits after a first group of one to three.
fn is_dotted_groups(v: &str) -> bool {
    let groups: Vec<&str> = v.split('.').collect();
    groups.len() >= 3
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a volume: a price's forms plus Investing.com's `1.21M`, `305.52K`, `1.2B`; `-` is
/// unknown (`Ok(None)`).
pub(crate) fn parse_volume(value: &str, decimal_comma: bool) -> Result<Option<f64>, NumberError> {
    let v = value.trim();
    if v == "-" {
        return Ok(None);
    }
    let scale = match v.as_bytes().last() {
        Some(b'K' | b'k') => 1e3,
        Some(b'M' | b'm') => 1e6,
        Some(b'B' | b'b') => 1e9,
        _ => return parse_number(v, decimal_comma).map(Some),
    };
    parse_number(&v[..v.len() - 1], decimal_comma).map(|x| Some(x * scale))
}

/// Month before day (US) or day before month, for numeric dates such as `01/31/2021`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayOrder {
    /// `MM/DD/YYYY`.
    MonthFirst,
    /// `DD/MM/YYYY`.
    DayFirst,
}

/// How a file's date cells are read, decided once per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by a time (`T` or a space) and an offset: the date
    /// written is kept.
    Iso,
    /// `YYYY/MM/DD`.
    IsoSlash,
    /// `YYYYMMDD`.
    Compact,
    /// `MM/DD/YYYY` or `DD/MM/YYYY` (also with `.` or `-`, and with two-digit years); a time
    /// after a space is ignored.
    Numeric {
        order: DayOrder,
        sep: char,
        two_digit: bool,
    },
    /// A chrono format: the user's, or one with month names (`Dec 30, 2003`, `30-Dec-03`).
    Chrono(String),
    /// Unix time in seconds, milliseconds or microseconds (told apart by magnitude per cell),
    /// converted to its UTC date.
    Unix,
}

/// Two-digit years `yy < pivot` are 20yy, the others 19yy (the POSIX `%y` rule at 69).
pub(crate) const DEFAULT_PIVOT: u32 = 69;

/// Formats with month names, tried in this order on the first date of a file.
const NAMED_MONTH_FORMATS: [&str; 8] = [
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%B-%Y",
];

impl DateFormat {
    /// How the format is shown in metadata and errors.
    pub(crate) fn describe(&self, pivot: u32) -> String {
        let y = |two: bool| if two { "%y" } else { "%Y" };
        let pivot_note = |two: bool| {
            if two {
                format!(
                    " (two-digit years: 00–{:02} → 20xx, {pivot:02}–99 → 19xx)",
                    pivot.saturating_sub(1)
                )
            } else {
                String::new()
            }
        };
        match self {
            DateFormat::Iso => "%Y-%m-%d".into(),
            DateFormat::IsoSlash => "%Y/%m/%d".into(),
            DateFormat::Compact => "%Y%m%d".into(),
            DateFormat::Numeric {
                order,
                sep,
                two_digit,
            } => {
                let (a, b) = match order {
                    DayOrder::MonthFirst => ("%m", "%d"),
                    DayOrder::DayFirst => ("%d", "%m"),
                };
                format!("{a}{sep}{b}{sep}{}{}", y(*two_digit), pivot_note(*two_digit))
            }
            DateFormat::Chrono(f) => format!("{f}{}", pivot_note(f.contains("%y"))),
            DateFormat::Unix => "unix time (s, ms or µs by magnitude) → UTC date".into(),
        }
    }

    /// Reads one cell: the date and, when the cell has one, the time of day in seconds.
    pub(crate) fn parse(&self, value: &str, pivot: u32) -> Option<(NaiveDate, Option<u32>)> {
        let v = value.trim();
        match self {
            DateFormat::Iso => {
                let date = iso_date(v)?;
                Some((date, time_of_day(&v[10..])))
            }
            DateFormat::IsoSlash => {
                let head = v.get(..10)?;
                let date = NaiveDate::parse_from_str(head, "%Y/%m/%d").ok()?;
                Some((date, time_of_day(&v[10..])))
            }
            DateFormat::Compact => {
                (v.len() == 8).then_some(())?;
                NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(|d| (d, None))
            }
            DateFormat::Numeric {
                order,
                sep,
                two_digit,
            } => {
                let (head, rest) = v.split_once(' ').unwrap_or((v, ""));
                let (a, b, y) = numeric_parts(head, *sep)?;
                if (y.len() == 2) != *two_digit || !(y.len() == 2 || y.len() == 4) {
                    return None;
                }
                let year: u32 = y.parse().ok()?;
                let year = if *two_digit {
                    expand_year(year, pivot)
                } else {
                    year
                };
                let (month, day) = match order {
                    DayOrder::MonthFirst => (a, b),
                    DayOrder::DayFirst => (b, a),
                };
                let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
                Some((date, time_of_day(&format!(" {rest}"))))
            }
            DateFormat::Chrono(f) => {
                let date = NaiveDate::parse_from_str(v, f)
                    .ok()
                    .or_else(|| NaiveDateTime::parse_from_str(v, f).ok().map(|dt| dt.date()))?;
                if !f.contains("%y") || pivot == DEFAULT_PIVOT {
                    return Some((date, None));
                }
                // chrono reads %y with the POSIX pivot; move the century for another.
                let yy = date.year_ce().1 % 100;
                let year = i32::try_from(expand_year(yy, pivot)).ok()?;
                chrono::Datelike::with_year(&date, year).map(|d| (d, None))
            }
            DateFormat::Unix => {
                let t: i64 = v.parse().ok()?;
                let dt = match t {
                    t if t < 0 => return None,
                    t if t < 100_000_000_000 => DateTime::from_timestamp(t, 0)?,
                    t if t < 100_000_000_000_000 => DateTime::from_timestamp_millis(t)?,
                    t if t < 100_000_000_000_000_000 => DateTime::from_timestamp_micros(t)?,
                    _ => return None,
                };
                let secs = chrono::Timelike::num_seconds_from_midnight(&dt);
                Some((dt.date_naive(), Some(secs)))
            }
        }
    }
}

use chrono::Datelike as _;

fn expand_year(yy: u32, pivot: u32) -> u32 {
    if yy < pivot { 2000 + yy } else { 1900 + yy }
}

/// `a/b/y` with one or two digits for a and b.
fn numeric_parts(head: &str, sep: char) -> Option<(u32, u32, &str)> {
    let mut it = head.split(sep);
    let (a, b, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let small = |s: &str| {
        ((1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    y.bytes().all(|c| c.is_ascii_digit()).then_some(())?;
    Some((small(a)?, small(b)?, y))
}

/// An ISO date at the start of a cell, read digit by digit (chrono's format parser is the
/// slowest part of loading); `from_ymd_opt` still rejects a day that does not exist.
pub(crate) fn iso_date(v: &str) -> Option<NaiveDate> {
    let head = v.get(..10)?;
    let rest = &v[10..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// `HH:MM[:SS[.fff]]` after a space or `T`, as seconds from midnight; anything after (an
/// offset, `Z`, ` UTC`) is ignored: the date and time written are kept.
fn time_of_day(rest: &str) -> Option<u32> {
    let t = rest.strip_prefix([' ', 'T'])?.trim_start();
    let b = t.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let (h, m) = (two(0)?, two(3)?);
    (b.get(2) == Some(&b':')).then_some(())?;
    let s = if b.get(5) == Some(&b':') {
        two(6).unwrap_or(0)
    } else {
        0
    };
    (h < 24 && m < 60 && s < 61).then_some(h * 3600 + m * 60 + s)
}

/// What the column says about its date format: decided, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inferred {
    /// The format, and for numeric dates the row (index into the cells) that proved the order.
    Format(DateFormat, Option<usize>),
    /// Numeric dates whose day and month are both 12 or less on every row.
    Ambiguous { sep: char, two_digit: bool },
    /// The first date matches no known form (index of that cell).
    Unknown(usize),
    /// Both the first and the second number exceed 12 on some rows: not day/month dates.
    Contradictory { first_row: usize, second_row: usize },
}

/// Decides the date format of a column from all of its cells (empty cells are skipped).
/// Numeric `a/b/y` dates are day-first only if some `a` exceeds 12, month-first only if some
/// `b` does; `us_order` (Nasdaq, WSJ) states month-first for files that prove nothing.
pub(crate) fn infer_format<'a>(cells: impl Iterator<Item = &'a str> + Clone, us_order: bool) -> Inferred {
    let Some((first_at, first)) = cells
        .clone()
        .enumerate()
        .map(|(i, c)| (i, c.trim()))
        .find(|(_, c)| !c.is_empty())
    else {
        return Inferred::Format(DateFormat::Iso, None);
    };
    if iso_date(first).is_some() {
        return Inferred::Format(DateFormat::Iso, None);
    }
    if DateFormat::IsoSlash.parse(first, DEFAULT_PIVOT).is_some() {
        return Inferred::Format(DateFormat::IsoSlash, None);
    }
    if first.len() == 8 && DateFormat::Compact.parse(first, DEFAULT_PIVOT).is_some() {
        return Inferred::Format(DateFormat::Compact, None);
    }
    let head = first.split(' ').next().unwrap_or(first);
    if let Some(sep) = ['/', '.', '-']
        .into_iter()
        .find(|&s| numeric_parts(head, s).is_some())
    {
        let two_digit = numeric_parts(head, sep).is_some_and(|(_, _, y)| y.len() == 2);
        let (mut a_row, mut b_row) = (None, None);
        for (i, c) in cells.enumerate() {
            let head = c.trim().split(' ').next().unwrap_or("");
            if let Some((a, b, _)) = numeric_parts(head, sep) {
                if a > 12 && a_row.is_none() {
                    a_row = Some(i);
                }
                if b > 12 && b_row.is_none() {
                    b_row = Some(i);
                }
            }
        }
        let numeric = |order| DateFormat::Numeric {
            order,
            sep,
            two_digit,
        };
        return match (a_row, b_row) {
            (Some(a), Some(b)) => Inferred::Contradictory {
                first_row: a,
                second_row: b,
            },
            (Some(a), None) => Inferred::Format(numeric(DayOrder::DayFirst), Some(a)),
            (None, Some(b)) => Inferred::Format(numeric(DayOrder::MonthFirst), Some(b)),
            (None, None) if us_order => Inferred::Format(numeric(DayOrder::MonthFirst), None),
            (None, None) => Inferred::Ambiguous { sep, two_digit },
        };
    }
    NAMED_MONTH_FORMATS
        .iter()
        .find(|f| NaiveDate::parse_from_str(first, f).is_ok())
        .map_or(Inferred::Unknown(first_at), |f| {
            Inferred::Format(DateFormat::Chrono((*f).to_string()), None)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_forms_sites_write() {
        for (text, want) in [
            ("1234.5", 1234.5),
            (" 8.61E+11", 8.61e11),
            ("$134.91", 134.91),
            ("-$1.5", -1.5),
            ("1,234,567.25", 1_234_567.25),
            ("29,374", 29_374.0),
        ] {
            assert_eq!(parse_number(text, false), Ok(want), "{text}");
        }
        for (text, want) in [
            ("1.234,5", 1234.5),
            ("1234,5", 1234.5),
            ("14.748.800", 14_748_800.0),
        ] {
            assert_eq!(parse_number(text, true), Ok(want), "{text}");
        }
        assert_eq!(
            parse_number("14.748.800.659.179.600", false),
            Err(NumberError::LocaleDamage)
        );
        assert_eq!(parse_number("1.234.5", false), Err(NumberError::NotANumber));
        for bad in ["", "abc", "1,23", "12,34.5", "$", "1.2.3x", "1,234,5678"] {
            assert_eq!(parse_number(bad, false), Err(NumberError::NotANumber), "{bad:?}");
        }
        assert_eq!(parse_volume("1.21M", false), Ok(Some(1_210_000.0)));
        assert_eq!(
            parse_volume("305.52K", false).map(|v| v.map(f64::round)),
            Ok(Some(305_520.0))
        );
        assert_eq!(parse_volume("-", false), Ok(None));
    }

    #[test]
    fn numeric_dates_are_ordered_only_when_a_row_proves_it() {
        let us = ["01/02/2021", "01/31/2021"];
        let uk = ["02/01/2021", "31/01/2021"];
        let neither = ["01/02/2021", "03/04/2021"];
        let both = ["13/01/2021", "01/13/2021"];
        let month_first = DateFormat::Numeric {
            order: DayOrder::MonthFirst,
            sep: '/',
            two_digit: false,
        };
        assert_eq!(
            infer_format(us.iter().copied(), false),
            Inferred::Format(month_first.clone(), Some(1))
        );
        assert!(matches!(
            infer_format(uk.iter().copied(), false),
            Inferred::Format(
                DateFormat::Numeric {
                    order: DayOrder::DayFirst,
                    ..
                },
                Some(1)
            )
        ));
        assert!(matches!(
            infer_format(neither.iter().copied(), false),
            Inferred::Ambiguous { .. }
        ));
        assert_eq!(
            infer_format(neither.iter().copied(), true),
            Inferred::Format(month_first, None)
        );
        assert!(matches!(
            infer_format(both.iter().copied(), false),
            Inferred::Contradictory { .. }
        ));
    }

    #[test]
    fn two_digit_years_follow_the_stated_pivot() {
        let f = DateFormat::Numeric {
            order: DayOrder::MonthFirst,
            sep: '/',
            two_digit: true,
        };
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(f.parse("12/31/68", 69).unwrap().0, d(2068, 12, 31));
        assert_eq!(f.parse("01/02/69", 69).unwrap().0, d(1969, 1, 2));
        assert_eq!(f.parse("01/02/69", 70).unwrap().0, d(2069, 1, 2));
        let named = DateFormat::Chrono("%d-%b-%y".into());
        assert_eq!(named.parse("30-Dec-03", 69).unwrap().0, d(2003, 12, 30));
        assert_eq!(named.parse("30-Dec-50", 40).unwrap().0, d(1950, 12, 30));
    }

    #[test]
    fn timestamps_keep_the_written_date_and_unix_time_its_utc_date() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            DateFormat::Iso.parse("2024-01-02 09:30:00-05:00", 69),
            Some((d(2024, 1, 2), Some(34_200)))
        );
        assert_eq!(
            DateFormat::Iso.parse("2024-01-01T00:00:00.000Z", 69),
            Some((d(2024, 1, 1), Some(0)))
        );
        // 2021-01-01T00:00:00Z in seconds, milliseconds and microseconds.
        for t in ["1609459200", "1609459200000", "1609459200000000"] {
            assert_eq!(
                DateFormat::Unix.parse(t, 69),
                Some((d(2021, 1, 1), Some(0))),
                "{t}"
            );
        }
        // 23:59:59 UTC stays on its day.
        assert_eq!(DateFormat::Unix.parse("1609545599", 69).unwrap().0, d(2021, 1, 1));
    }
}
