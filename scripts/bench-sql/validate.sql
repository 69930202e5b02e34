-- evpipe SPEC §5 validation in DuckDB SQL: the same result as
--   evp-merge SERVING USER | evp-validate | evp-dedupe
-- Run by scripts/bench-sql/duckdb-validate.js, which replaces :serving,
-- :user and :out below with quoted paths.  One statement per ';' at a line
-- end; the driver times each.
--
-- Timestamps (SPEC §2) are parsed exactly, in SQL: one RE2 pattern with the
-- three forms as alternatives (disjoint: only ISO has '-' after 4 digits,
-- only a time of day has ':' after 1-2 digits), then range checks (months,
-- days of the month on the proleptic Gregorian calendar, hours, minutes,
-- seconds, zone hours and minutes).  Each timestamp becomes a kind (time
-- of day or instant) and a key that sorts as its value, to the nanosecond:
-- see ts_key below.  The three steps are separate projections so that
-- DuckDB computes each part once.
--
-- Empty CSV fields are read as NULL; a NULL userId or key never matches,
-- as an empty one must not.

CREATE TABLE serving_in AS
SELECT * FROM read_csv(:serving, header = true, all_varchar = true,
                       delim = ',', quote = '"', escape = '"');

CREATE TABLE user_in AS
SELECT * FROM read_csv(:user, header = true, all_varchar = true,
                       delim = ',', quote = '"', escape = '"');

-- 1. The match of one timestamp text: a struct of the groups, '' when unset.
CREATE MACRO ts_match(s) AS regexp_extract(s,
    '^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})'
    '(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(?:(Z)|([+-])([0-9]{2}):?([0-9]{2}))?'
    '|([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?'
    '|([0-9]+)(?:\.([0-9]{1,9}))?)$',
    ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z', 'sg', 'zh', 'zm',
     'th', 'tmi', 'ts', 'tf', 'es', 'ef']);

-- t is '' or ASCII digits (the pattern matched): no branch needed.  (A
-- CASE would not guard a CAST: DuckDB may compute a repeated expression
-- for every row, whatever branch the row takes.)
CREATE MACRO ts_int(t) AS CAST('0' || t AS BIGINT);
CREATE MACRO ts_frac(t) AS CAST(rpad(t, 9, '0') AS INTEGER);

-- 2. The numbers of a match.  form: 0 no match, 1 time of day, 2 ISO,
-- 3 epoch.  The time of day and ISO groups share h, mi, s, f (one of the
-- two is always empty); e is the epoch seconds without leading zeros.
CREATE MACRO ts_parts(m) AS struct_pack(
    form := CASE WHEN m.y <> '' THEN 2 WHEN m.th <> '' THEN 1
                 WHEN m.es <> '' THEN 3 ELSE 0 END,
    y := ts_int(m.y), mo := ts_int(m.mo), d := ts_int(m.d),
    h := ts_int(m.h || m.th), mi := ts_int(m.mi || m.tmi),
    s := ts_int(m.s || m.ts), ns := ts_frac(m.f || m.tf || m.ef),
    zh := ts_int(m.zh), zm := ts_int(m.zm),
    off := CASE m.sg WHEN '+' THEN 1 WHEN '-' THEN -1 ELSE 0 END
           * (ts_int(m.zh) * 3600 + ts_int(m.zm) * 60),
    e := ltrim(m.es, '0'));

CREATE MACRO ts_leap(y) AS (y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0));
CREATE MACRO ts_mdays(y, m) AS CASE
    WHEN m = 2 THEN CASE WHEN ts_leap(y) THEN 29 ELSE 28 END
    WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END;
-- Days since 1970-01-01 (H. Hinnant's days_from_civil), for years 0-9999.
-- '//' truncates in DuckDB, so the year is shifted by 400 (146097 days)
-- to keep every division non-negative.
CREATE MACRO ts_days_y(yy, m, d) AS
    (yy // 400) * 146097
    + (yy - (yy // 400) * 400) * 365 + (yy - (yy // 400) * 400) // 4
    - (yy - (yy // 400) * 400) // 100
    + (153 * (m + CASE WHEN m > 2 THEN -3 ELSE 9 END) + 2) // 5 + d - 1
    - 719468 - 146097;
CREATE MACRO ts_days(y, m, d) AS
    ts_days_y(y + 400 - CASE WHEN m <= 2 THEN 1 ELSE 0 END, m, d);

-- 3. The key.  kind: 1 time of day, 2 instant, NULL not a timestamp.
-- (w, dg, secs, ns) sorts as the value: seconds and nanoseconds; epoch
-- seconds of more than 18 significant digits (beyond BIGINT) get w = their
-- digit count and dg = the digits, so they sort after every other instant
-- and by value among themselves.
CREATE MACRO ts_key(p) AS struct_pack(
    kind := CASE p.form
        WHEN 1 THEN CASE WHEN p.h <= 23 AND p.mi <= 59 AND p.s <= 59
                         THEN 1 END
        WHEN 2 THEN CASE WHEN p.mo BETWEEN 1 AND 12
                          AND p.d BETWEEN 1 AND ts_mdays(p.y, p.mo)
                          AND p.h <= 23 AND p.mi <= 59 AND p.s <= 59
                          AND p.zh <= 23 AND p.zm <= 59 THEN 2 END
        WHEN 3 THEN 2 END,
    w := CASE WHEN length(p.e) > 18 THEN length(p.e) ELSE 0 END,
    dg := CASE WHEN length(p.e) > 18 THEN p.e ELSE '' END,
    secs := CASE p.form
        WHEN 1 THEN p.h * 3600 + p.mi * 60 + p.s
        WHEN 2 THEN ts_days(p.y, p.mo, p.d) * 86400
                    + p.h * 3600 + p.mi * 60 + p.s - p.off
        ELSE ts_int(CASE WHEN length(p.e) > 18 THEN '' ELSE p.e END) END,
    ns := p.ns);

COPY (
    WITH
    -- merge: the serving index, the first of repeated eventIds wins
    srv AS (
        SELECT eventId, userId, advertiserId, price,
               ts_match(eventTimestamp) AS m
        FROM serving_in
        WHERE eventId IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY eventId ORDER BY rowid) = 1),
    srv_p AS (SELECT * EXCLUDE (m), ts_parts(m) AS p FROM srv),
    srv_k AS (SELECT * EXCLUDE (p), ts_key(p) AS t FROM srv_p),
    usr AS (
        SELECT rowid AS ord, eventId, eventTimestamp, eventType,
               parentEventId, userId, deviceId,
               ts_match(eventTimestamp) AS m
        FROM user_in),
    usr_p AS (SELECT * EXCLUDE (m), ts_parts(m) AS p FROM usr),
    usr_k AS (SELECT * EXCLUDE (p), ts_key(p) AS t FROM usr_p),
    -- validate a-c, enrichment from the serving event
    passed AS (
        SELECT u.*, s.advertiserId AS s_advertiserId, s.price AS s_price
        FROM usr_k u JOIN srv_k s ON u.parentEventId = s.eventId
        WHERE u.userId = s.userId          -- NULL (empty) never matches
          AND u.t.kind = s.t.kind          -- comparable kinds
          AND (s.t.w, s.t.dg, s.t.secs, s.t.ns)
              < (u.t.w, u.t.dg, u.t.secs, u.t.ns)),
    -- dedupe: earliest per (parentEventId, eventType), ties in input order
    kept AS (
        SELECT * FROM passed
        QUALIFY row_number() OVER (PARTITION BY parentEventId, eventType
                                   ORDER BY t.w, t.dg, t.secs, t.ns, ord) = 1)
    SELECT eventId, eventTimestamp, eventType, parentEventId, userId,
           s_advertiserId AS advertiserId, deviceId, s_price AS price
    FROM kept
    ORDER BY ord
) TO :out (FORMAT csv, HEADER true);
