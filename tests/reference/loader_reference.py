"""Independent reference reader for the price-CSV fixtures in tests/fixtures/loaders/.

The Rust loader detects a file's layout by itself. This script does NOT detect anything: every
fixture has a rule written out below (separator, lines before the data, close column, date
format, number format, volume column), and the file is read with pandas under that rule only.
A fixture without a rule is an error, so a new fixture has to be described here first.

Definitions (the same for every file):

* close column: `Adj Close` when present, else `Close` (Yahoo web, yfinance, the Yahoo table copy
  whose headers are `Close*` / `Adj Close**`); Stooq `Close` / `Zamkniecie`; Investing `Price`;
  CoinMarketCap and CryptoDataDownload `close`; Binance column 5 (`close`); Kaggle `Close`; Nasdaq
  `Close/Last` (a `$` is stripped); Alpha Vantage `adjusted_close` if present, else `close`; WSJ
  `Close` (the headers have a leading space); FRED the second column; CoinGecko `price`;
  excel_semicolon `Close` with a decimal comma; excel_scientific `Close`.
* a row whose close (after trimming blanks) is empty, `null`, `.`, `NA`, `N/A` or `-` is
  "missing": it is counted and its date listed, but it is not data.
* every other close must be a number in the `1,234.5` / `1234.5` sense (comma groups of exactly
  three digits, one optional decimal point; Nasdaq may lead with `$`; excel_semicolon uses a
  decimal comma and no groups). The first close that is not is the file's `error`
  (`line=<physical line>;column=<name>;value=<text>`) and nothing else is reported for that file.
* dates: the calendar date as written (ISO timestamps: the first 10 characters), or the stated
  format; two-digit years 00-68 are 20xx and 69-99 are 19xx; named months are English
  abbreviations (parsed with a table here, not the locale). CoinMarketCap: the UTC date of
  `timeOpen`. CryptoDataDownload and Binance: the UTC date of the unix time (seconds if < 1e11,
  milliseconds if < 1e14, else microseconds).
* rows are sorted ascending (by date; intraday files by the full timestamp). `newest_first` is
  true when the first data row's date (file order) is later than the last one's.
* intraday files (`yfinance_intraday.csv`, both Binance files) have several bars per date. `rows`
  counts bars and first/last close are the first/last bar; the resampled daily series takes the
  last bar (latest time) of each date as that date's close: `daily_rows`, `daily_last_close` and
  `daily_closes` (`date=close;...`) describe it. Every other file must have one row per date.
* volume (extra columns, only where the rule names a volume column): `volume_unknown_dates` lists
  the dates of rows WITH a close whose volume field is absent (short row), empty, a missing token,
  not a number, or negative (the int32 wrap-around of yfinance issue #30). Files without a
  volume rule (Investing `Vol.` with K/M/B suffixes, FRED, excel_scientific, CryptoDataDownload)
  leave `volume_column` empty.
* closes are printed with repr(float) (full precision).

Three fixtures are DERIVED here from real ones (no real file of that layout was found):
`yfinance_2row.csv`, `yahoo_negative_volume.csv`, `stooq_no_volume.csv`. `derive()` builds their
text; a missing file is written, an existing one must equal the derivation byte for byte (the
script stops otherwise). See tests/fixtures/loaders/README.md for how each was derived.

Finally the results are compared with the EXPECTED claims transcribed from the provenance notes
(CLAIMS below); any disagreement is printed and makes the script exit non-zero.

Writes tests/fixtures/loaders/expected.csv.
Run: python3 tests/reference/loader_reference.py
"""

import csv
import io
import re
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

DIR = Path(__file__).resolve().parents[1] / "fixtures" / "loaders"
OUT = DIR / "expected.csv"

COLUMNS = ["file", "close_column", "rows", "missing", "first_date", "last_date", "first_close",
           "last_close", "newest_first", "intraday", "daily_rows", "daily_last_close", "error",
           "missing_dates", "daily_closes", "volume_column", "volume_unknown_dates"]

MISSING = {"", "null", ".", "NA", "N/A", "-"}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])}

# ------------------------------------------------------------------------------------------------
# Per-file rules.
#   sep          field separator
#   pre          lines before the header block (CryptoDataDownload's URL line)
#   header       number of header lines (0: no header, `names` gives the columns)
#   names        explicit column names (headerless Binance dumps)
#   close        close column, or a tuple: the first of these present in the header
#   date_col     column holding the date / timestamp
#   date         how the date is read (see parse_date)
#   number       close number format: plain | dollar | decimal_comma
#   volume       volume column (None: not checked)
#   strip        header names and values are trimmed (WSJ writes ", " between fields)
#   intraday     several bars per date; sort by the full timestamp (`ts`)
#   rejected     the file must be rejected by the close rule
# ------------------------------------------------------------------------------------------------
BINANCE = ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
           "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"]
YAHOO = ("Adj Close", "Close")

RULES = {
    "yahoo_web.csv": dict(close=YAHOO, date_col="Date", date="iso10", volume="Volume"),
    "yahoo_negative_volume.csv": dict(close=YAHOO, date_col="Date", date="iso10", volume="Volume"),
    "yahoo_table_copy.csv": dict(close=("Adj Close**", "Close*"), date_col="Date", date="mon_d_y",
                                 volume="Volume"),
    # yfinance MultiIndex files: line 1 (`Price,...`) names the fields, line 2 is `Ticker,...`,
    # line 3 `Date,,,` (absent in the 2-line variant); the first field is the date.
    "yfinance_3row.csv": dict(header=3, close=YAHOO, date_col="Price", date="iso10", volume="Volume"),
    "yfinance_3row_adj.csv": dict(header=3, close=YAHOO, date_col="Price", date="iso10",
                                  volume="Volume"),
    "yfinance_2row.csv": dict(header=2, close=YAHOO, date_col="Price", date="iso10", volume="Volume"),
    "yfinance_intraday.csv": dict(close=YAHOO, date_col="Datetime", date="iso10", ts="pandas",
                                  intraday=True, volume="Volume"),
    "stooq_en.csv": dict(close="Close", date_col="Date", date="iso10", volume="Volume"),
    "stooq_pl.csv": dict(close="Zamkniecie", date_col="Data", date="iso10", volume="Wolumen"),
    "stooq_no_volume.csv": dict(close="Close", date_col="Date", date="iso10", volume="Volume"),
    "investing_us.csv": dict(close="Price", date_col="Date", date="%m/%d/%Y"),
    "investing_uk.csv": dict(close="Price", date_col="Date", date="%d/%m/%Y"),
    "investing_named_month.csv": dict(close="Price", date_col="Date", date="mon_d_y"),
    "coinmarketcap_comma.csv": dict(close="close", date_col="timeOpen", date="utc", volume="volume"),
    "coinmarketcap_semicolon.csv": dict(sep=";", close="close", date_col="timeOpen", date="utc",
                                        volume="volume"),
    "cryptodatadownload.csv": dict(pre=1, close="close", date_col="unix", date="unix"),
    "cryptodatadownload_ms.csv": dict(pre=1, close="close", date_col="unix", date="unix"),
    "binance_klines_noheader.csv": dict(header=0, names=BINANCE, close="close", close_label="5",
                                        date_col="open_time", date="unix", ts="int",
                                        intraday=True, volume="volume"),
    "binance_klines_header.csv": dict(close="close", date_col="open_time", date="unix", ts="int",
                                      intraday=True, volume="volume"),
    "kaggle_coin.csv": dict(close="Close", date_col="Date", date="iso10", volume="Volume"),
    "nasdaq.csv": dict(close="Close/Last", date_col="Date", date="%m/%d/%Y", number="dollar",
                       volume="Volume"),
    "alphavantage.csv": dict(close=("adjusted_close", "close"), date_col="timestamp", date="iso10",
                             volume="volume"),
    "alphavantage_adjusted.csv": dict(close=("adjusted_close", "close"), date_col="timestamp",
                                      date="iso10", volume="volume"),
    "wsj.csv": dict(strip=True, close="Close", date_col="Date", date="%m/%d/%y", volume="Volume"),
    "fred_observation_date.csv": dict(close=1, date_col=0, date="iso10"),
    "fred_date.csv": dict(close=1, date_col=0, date="iso10"),
    "coingecko.csv": dict(close="price", date_col="snapped_at", date="iso10", volume="total_volume"),
    "excel_semicolon.csv": dict(sep=";", close="Close", date_col="Date", date="iso10",
                                number="decimal_comma", volume="Volume"),
    "excel_scientific.csv": dict(close="Close", date_col="Date", date="%d-%m-%y"),
    # European-locale re-save of Kaggle coin_Bitcoin.csv: dates `29-04-13 23:59`.
    "european_damage.csv": dict(close="Close", date_col="Date", date="%d-%m-%y", rejected=True),
}

PLAIN = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d+(?:,\d+)?")


def number(text, fmt):
    """The float a close/volume text stands for under `fmt`, or None when it is not a number."""
    s = text.strip()
    if fmt == "dollar" and s.startswith("$"):
        s = s[1:]
    if fmt in ("plain", "dollar"):
        return float(s.replace(",", "")) if PLAIN.fullmatch(s) else None
    if fmt == "decimal_comma":
        return float(s.replace(",", ".")) if DECIMAL_COMMA.fullmatch(s) else None
    raise ValueError(fmt)


def two_digit_year(yy):
    return 2000 + yy if yy <= 68 else 1900 + yy


def parse_date(text, how):
    s = text.strip()
    if how == "iso10":
        return date.fromisoformat(s[:10])
    if how == "utc":  # ISO timestamp with an offset or Z: the UTC calendar date
        return pd.Timestamp(s).tz_convert("UTC").date()
    if how == "unix":
        v = int(s)
        secs = v if v < 1e11 else v / 1e3 if v < 1e14 else v / 1e6
        return datetime.fromtimestamp(secs, tz=timezone.utc).date()
    if how == "mon_d_y":  # `Apr 28, 2023`
        m = re.fullmatch(r"([A-Z][a-z]{2}) (\d{1,2}), (\d{4})", s)
        return date(int(m[3]), MONTHS[m[1]], int(m[2]))
    if how in ("%m/%d/%Y", "%d/%m/%Y"):
        a, b, y = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", s).groups()
        mo, d = (a, b) if how == "%m/%d/%Y" else (b, a)
        return date(int(y), int(mo), int(d))
    if how == "%m/%d/%y":
        mo, d, yy = re.fullmatch(r"(\d{2})/(\d{2})/(\d{2})", s).groups()
        return date(two_digit_year(int(yy)), int(mo), int(d))
    if how == "%d-%m-%y":  # a trailing time (`29-04-13 23:59`) is ignored
        d, mo, yy = re.fullmatch(r"(\d{2})-(\d{2})-(\d{2})(?: .*)?", s).groups()
        return date(two_digit_year(int(yy)), int(mo), int(d))
    raise ValueError(how)


def header_names(lines, rule):
    """Column names, taken from the first header line (yfinance: the `Price,...` line)."""
    if rule.get("header", 1) == 0:
        return list(rule["names"])
    names = next(csv.reader([lines[rule.get("pre", 0)]], delimiter=rule.get("sep", ",")))
    return [n.strip() for n in names] if rule.get("strip") else names


def pick(names, want):
    """The column named by the rule: an index, a name, or the first present of a tuple."""
    if isinstance(want, int):
        return names[want]
    for w in (want if isinstance(want, tuple) else (want,)):
        if w in names:
            return w
    raise KeyError(f"none of {want} in {names}")


def read(name, text):
    rule = RULES[name]
    sep = rule.get("sep", ",")
    lines = text.split("\n")
    assert lines[-1] == "" and "\r" not in text and not text.startswith("\ufeff"), name
    lines = lines[:-1]
    names = header_names(lines, rule)
    skip = rule.get("pre", 0) + rule.get("header", 1)
    df = pd.read_csv(io.StringIO(text), sep=sep, header=None, skiprows=skip, names=names,
                     dtype=str, keep_default_na=False, skipinitialspace=rule.get("strip", False))
    assert len(df) == len(lines) - skip, (name, len(df), len(lines), skip)
    widths = [len(r) for r in csv.reader(lines[skip:], delimiter=sep)]
    close_col = pick(names, rule["close"])
    date_col = pick(names, rule["date_col"])
    vol_col = rule.get("volume")
    fmt = rule.get("number", "plain")

    recs = []  # (sort key, date, close float, volume known, file position)
    missing = []
    for i, row in enumerate(df.itertuples(index=False)):
        row = dict(zip(names, row))
        line_no = skip + i + 1
        raw = row[close_col].strip()
        if raw in MISSING:
            missing.append(parse_date(row[date_col], rule["date"]))
            continue
        value = number(raw, fmt)
        if value is None:
            return dict(close_column=rule.get("close_label", close_col),
                        error=f"line={line_no};column={close_col};value={raw}")
        d = parse_date(row[date_col], rule["date"])
        if rule.get("ts") == "pandas":
            key = pd.Timestamp(row[date_col].strip()).tz_convert("UTC")
        elif rule.get("ts") == "int":
            key = int(row[date_col])
        else:
            key = d
        vol_known = None
        if vol_col is not None:
            idx = names.index(vol_col)
            v = row[vol_col].strip()
            vol = number(v, "decimal_comma" if fmt == "decimal_comma" else "plain")
            vol_known = widths[i] > idx and v not in MISSING and vol is not None and vol >= 0
        recs.append((key, d, value, vol_known, i))
        if name.startswith("cryptodatadownload"):  # side check: the `date` column agrees
            assert row["date"][:10] == d.isoformat(), (name, row["date"], d)

    assert not rule.get("rejected"), f"{name} should have been rejected"
    newest_first = recs[0][1] > recs[-1][1]
    recs.sort(key=lambda r: (r[0], r[4]))
    dates = [r[1] for r in recs]
    intraday = bool(rule.get("intraday"))
    if intraday:
        assert len(set(dates)) < len(dates), f"{name}: no date has several bars"
        last_bar = {}
        for r in recs:  # ascending by time: the last one written per date is the latest bar
            last_bar[r[1]] = r[2]
        daily = sorted(last_bar.items())
    else:
        assert len(set(dates)) == len(dates), f"{name}: duplicate dates in a daily file"
    out = dict(
        close_column=rule.get("close_label", close_col), rows=len(recs), missing=len(missing),
        first_date=dates[0].isoformat(), last_date=dates[-1].isoformat(),
        first_close=repr(recs[0][2]), last_close=repr(recs[-1][2]),
        newest_first=str(newest_first).lower(), intraday=str(intraday).lower(),
        missing_dates=";".join(d.isoformat() for d in sorted(missing)),
        volume_column=vol_col or "",
        volume_unknown_dates=";".join(r[1].isoformat() for r in recs if r[3] is False),
        error="")
    if intraday:
        out.update(daily_rows=len(daily), daily_last_close=repr(daily[-1][1]),
                   daily_closes=";".join(f"{d.isoformat()}={c!r}" for d, c in daily))
    return out


# ------------------------------------------------------------------------------------------------
# Derived fixtures
# ------------------------------------------------------------------------------------------------
def derive():
    """Text of the three derived fixtures, built from the real ones."""
    out = {}

    # yfinance_2row.csv: pandas' own to_csv of a yfinance-style frame whose index has no name.
    src = pd.read_csv(DIR / "yfinance_3row.csv", header=[0, 1], index_col=0)
    frame = src.iloc[:8].copy()
    # NB pd.DatetimeIndex(x, name=None) would keep x's name ("Date"); rename_axis(None) drops it.
    frame.index = pd.to_datetime(frame.index)
    frame = frame.rename_axis(None)
    frame.columns = pd.MultiIndex.from_tuples(list(frame.columns), names=["Price", "Ticker"])
    assert frame.index.name is None and list(frame.columns.get_level_values(1)) == ["SPY"] * 5
    text = frame.to_csv()
    lines = text.split("\n")
    assert lines[0] == "Price,Close,High,Low,Open,Volume", lines[0]
    assert lines[1] == "Ticker,SPY,SPY,SPY,SPY,SPY", lines[1]
    assert re.match(r"\d{4}-\d{2}-\d{2},", lines[2]), f"pandas wrote a third header line: {lines[2]!r}"
    src_lines = (DIR / "yfinance_3row.csv").read_text().split("\n")
    assert lines[2:10] == src_lines[3:11], "data rows differ from the source text"
    out["yfinance_2row.csv"] = text

    # yahoo_negative_volume.csv: yahoo_web.csv lines 1-11, data row 4's Volume -> -2147483648.
    lines = (DIR / "yahoo_web.csv").read_text().split("\n")[:11]
    f = lines[4].split(",")
    assert f[0] == "2019-10-07" and f[6] == "40400", lines[4]
    lines[4] = ",".join(f[:6] + ["-2147483648"])
    out["yahoo_negative_volume.csv"] = "\n".join(lines) + "\n"

    # stooq_no_volume.csv: stooq_en.csv lines 1-11, trailing ",<volume>" cut from data rows 3, 7.
    lines = (DIR / "stooq_en.csv").read_text().split("\n")[:11]
    for row in (3, 7):
        assert lines[row].count(",") == 5, lines[row]
        lines[row] = lines[row].rsplit(",", 1)[0]
    out["stooq_no_volume.csv"] = "\n".join(lines) + "\n"
    return out


# ------------------------------------------------------------------------------------------------
# EXPECTED claims from the provenance notes (SOURCES_A/B/C.md, now README.md) and the brief.
# Only the fields a note states are listed; closes as floats.
# ------------------------------------------------------------------------------------------------
CLAIMS = {
    "yahoo_web.csv": dict(close_column="Adj Close", rows=19, missing=1, missing_dates="2019-10-27",
                          first_date="2019-10-01", last_date="2019-10-31", first_close=38305.410156,
                          last_close=40129.050781, newest_first="false"),
    "yahoo_table_copy.csv": dict(close_column="Adj Close**", rows=16, missing=0,
                                 first_date="2023-04-06", last_date="2023-04-28",
                                 first_close=33485.29, last_close=34098.16, newest_first="true"),
    "yfinance_3row.csv": dict(close_column="Close", rows=16, missing=0, first_date="2015-07-01",
                              last_date="2015-07-23", first_close=174.91714477539062,
                              last_close=177.17623901367188),
    "yfinance_3row_adj.csv": dict(close_column="Adj Close", rows=16, missing=0,
                                  first_date="2015-01-02", last_date="2015-01-26",
                                  first_close=169.68783569335938, last_close=169.70436096191406),
    "yfinance_intraday.csv": dict(close_column="Close", rows=16, missing=0, first_date="2026-02-13",
                                  last_date="2026-02-18", first_close=260.5950012207031,
                                  last_close=266.0400085449219, intraday="true", daily_rows=3,
                                  daily_last_close=266.0400085449219,
                                  daily_closes="2026-02-13=255.82000732421875;2026-02-17=263.75;"
                                               "2026-02-18=266.0400085449219"),
    "stooq_en.csv": dict(close_column="Close", rows=16, missing=0, first_date="1984-09-07",
                         last_date="1984-09-28", first_close=0.41583, last_close=0.39319),
    "stooq_pl.csv": dict(close_column="Zamkniecie", rows=16, missing=0, first_date="1991-04-16",
                         last_date="1991-08-06", first_close=100.0, last_close=78.5),
    "investing_us.csv": dict(rows=20, first_date="2025-10-31", last_date="2025-11-28",
                             first_close=47562.87, last_close=47716.42, newest_first="true"),
    "investing_uk.csv": dict(rows=20, first_date="2025-09-03", last_date="2025-09-30",
                             first_close=95.88, last_close=96.46, newest_first="true"),
    "investing_named_month.csv": dict(rows=20, first_date="2019-09-20", last_date="2019-10-17",
                                      first_close=2992.07, last_close=2997.95, newest_first="true"),
    "coinmarketcap_semicolon.csv": dict(rows=15, first_date="2025-04-26", last_date="2025-05-10",
                                        first_close=94646.928111682, last_close=104696.3272911721,
                                        newest_first="true"),
    "coinmarketcap_comma.csv": dict(rows=15, first_date="2025-08-15", last_date="2025-08-29",
                                    first_close=117398.3479829685, last_close=108410.8381422406,
                                    newest_first="true"),
    "cryptodatadownload.csv": dict(rows=15, first_date="2025-09-10", last_date="2025-09-24",
                                   first_close=113988.0, last_close=111970.0, newest_first="true"),
    "cryptodatadownload_ms.csv": dict(rows=15, first_date="2020-12-16", last_date="2020-12-30",
                                      first_close=21335.52, last_close=27445.81,
                                      newest_first="true"),
    "binance_klines_noheader.csv": dict(rows=15, daily_rows=1, first_date="2021-01-01",
                                        last_date="2021-01-01", first_close=28991.01,
                                        last_close=28786.75, newest_first="false",
                                        intraday="true", daily_last_close=28786.75),
    "binance_klines_header.csv": dict(rows=15, daily_rows=1, first_date="2025-01-01",
                                      last_date="2025-01-01", first_close=0.8454,
                                      last_close=0.8509, newest_first="false", intraday="true",
                                      daily_last_close=0.8509),
    "kaggle_coin.csv": dict(rows=15, first_date="2013-04-29", last_date="2013-05-13",
                            first_close=144.5399932861328, last_close=117.9800033569336,
                            newest_first="false"),
    "nasdaq.csv": dict(close_column="Close/Last", rows=15, missing=0, first_date="2025-09-29",
                       last_date="2025-10-17", first_close=29.1, last_close=28.9,
                       newest_first="true"),
    "alphavantage.csv": dict(close_column="close", rows=15, missing=0, first_date="2018-09-24",
                             last_date="2018-10-12", first_close=114.67, last_close=109.57,
                             newest_first="true"),
    "alphavantage_adjusted.csv": dict(close_column="adjusted_close", rows=15, missing=0,
                                      first_date="2018-06-26", last_date="2018-07-17",
                                      first_close=99.08, last_close=105.95, newest_first="true"),
    "wsj.csv": dict(close_column="Close", rows=15, missing=0, first_date="2022-05-11",
                    last_date="2022-06-01", first_close=146.5, last_close=148.71,
                    newest_first="true"),
    "fred_observation_date.csv": dict(close_column="DCOILWTICO", rows=19, missing=1,
                                      missing_dates="2020-01-20", first_date="2020-01-02",
                                      last_date="2020-01-29", first_close=61.17, last_close=53.29,
                                      newest_first="false"),
    "fred_date.csv": dict(close_column="SP500", rows=19, missing=1, missing_dates="2014-11-27",
                          first_date="2014-11-25", last_date="2014-12-22", first_close=2067.03,
                          last_close=2078.54, newest_first="false"),
    "coingecko.csv": dict(close_column="price", rows=16, missing=0, first_date="2013-04-28",
                          last_date="2013-05-13", first_close=135.3, last_close=117.18,
                          newest_first="false"),
    "excel_semicolon.csv": dict(close_column="Close", rows=15, missing=0, first_date="2010-01-04",
                                last_date="2010-01-22", first_close=37.93762146,
                                last_close=35.18159763, newest_first="false"),
    "excel_scientific.csv": dict(close_column="Close", rows=18, missing=0, first_date="2019-04-26",
                                 last_date="2019-05-13", first_close=5279.348211,
                                 last_close=7814.91514, newest_first="false"),
    "european_damage.csv": dict(error="line=2;column=Close;value=1.445.399.932.861.320"),
    # derived fixtures (the brief's expectations)
    "yfinance_2row.csv": dict(close_column="Close", rows=8, missing=0, first_date="2015-07-01",
                              last_date="2015-07-13", first_close=174.91714477539062,
                              last_close=176.83062744140625, newest_first="false",
                              volume_unknown_dates=""),
    "yahoo_negative_volume.csv": dict(close_column="Adj Close", rows=10, missing=0,
                                      first_date="2019-10-01", last_date="2019-10-16",
                                      first_close=38305.410156, last_close=38598.988281,
                                      volume_unknown_dates="2019-10-07"),
    "stooq_no_volume.csv": dict(close_column="Close", rows=10, missing=0, first_date="1984-09-07",
                                last_date="1984-09-20", first_close=0.41583, last_close=0.42463,
                                volume_unknown_dates="1984-09-11;1984-09-17"),
}
FLOATS = ("first_close", "last_close", "daily_last_close")


def check(results):
    bad = []
    for name, claim in CLAIMS.items():
        got = results.get(name)
        if got is None:
            bad.append(f"{name}: no result")
            continue
        for k, want in claim.items():
            have = got.get(k, "")
            ok = (have != "" and float(have) == want) if k in FLOATS else str(have) == str(want)
            if not ok:
                bad.append(f"{name}: {k} = {have!r}, the notes say {want!r}")
    return bad


def main():
    for name, text in derive().items():
        path = DIR / name
        if not path.exists():
            path.write_text(text)
            print(f"derived fixture written: {name}")
        elif path.read_text() != text:
            sys.exit(f"{name} differs from its derivation; delete it to regenerate")

    files = sorted(p.name for p in DIR.glob("*.csv") if p.name != OUT.name)
    unruled = [f for f in files if f not in RULES]
    if unruled:
        sys.exit(f"fixtures without a rule: {unruled}")
    results = {}
    for name in files:
        results[name] = read(name, (DIR / name).read_text(encoding="utf-8"))
    with OUT.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for name in files:
            w.writerow({"file": name, **results[name]})
    print(OUT.read_text(), end="")
    bad = check(results)
    for b in bad:
        print("DISAGREES:", b)
    print(f"{len(files)} files, {len(bad)} disagreements with the notes")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
