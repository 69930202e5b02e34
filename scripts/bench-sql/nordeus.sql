-- nordeus.sql: SPEC section 13 in DuckDB for scripts/bench, the work of
-- evp run --profile nordeus on the same JSON lines: the cleaning (rules
-- 2-5), the state machine per user, sessions, transactions and both
-- statistics tables.  Run by duckdb-validate.js, which replaces :serving
-- (the events), :user (the exchange rates) and :out.  All five tables go
-- to :out as one CSV, each row tagged with its table, every value text.
-- DuckDB's JSON reader accepts what RFC 8259 refuses (repeated keys,
-- lone surrogates), so the bench data leaves out the lines evp-collect
-- refuses; every other trap of the generator stays.
SET TimeZone = 'UTC';
CREATE TEMP TABLE raw AS
    SELECT row_number() OVER () AS seq, json AS j
    FROM read_ndjson_objects(:serving);
CREATE TEMP TABLE rates AS
    SELECT json ->> '$.currency' AS currency,
           CAST(json ->> '$.rate_to_usd' AS DECIMAL(38, 12)) AS rate
    FROM read_ndjson_objects(:user);
CREATE TEMP TABLE iso AS
    SELECT unnest("3166-1").alpha_2 AS code
    FROM read_json('/usr/share/iso-codes/json/iso_3166-1.json');
-- rules 2 and 3, then the window
CREATE TEMP TABLE ev AS
WITH t AS (
    SELECT seq, j,
        json_type(j, '$.event_id') AS ti, json_type(j, '$.event_timestamp') AS tt,
        json_type(j, '$.event_type') AS ty, json_type(j, '$.event_data') AS td,
        j ->> '$.event_type' AS typ,
        json_type(j, '$.event_data.user_id') AS tu, j ->> '$.event_data.user_id' AS uid,
        json_type(j, '$.event_data.country') AS tc, j ->> '$.event_data.country' AS country,
        json_type(j, '$.event_data.name') AS tn, j ->> '$.event_data.name' AS name,
        json_type(j, '$.event_data.device_os') AS tdv, j ->> '$.event_data.device_os' AS dev,
        json_type(j, '$.event_data.marketing_campaign') AS tm,
        j ->> '$.event_data.marketing_campaign' AS camp,
        json_type(j, '$.event_data.transaction_amount') AS ta,
        TRY_CAST(j ->> '$.event_data.transaction_amount' AS DECIMAL(38, 12)) AS amount,
        json_type(j, '$.event_data.transaction_currency') AS tcu,
        j ->> '$.event_data.transaction_currency' AS cur
    FROM raw
), ok AS (
    SELECT * FROM t
    WHERE json_type(j) = 'OBJECT'
      AND (ti = 'BIGINT' OR (ti = 'UBIGINT' AND TRY_CAST(j ->> '$.event_id' AS BIGINT) IS NOT NULL))
      AND (tt = 'BIGINT' OR (tt = 'UBIGINT' AND TRY_CAST(j ->> '$.event_timestamp' AS BIGINT) IS NOT NULL))
      AND ty = 'VARCHAR' AND td = 'OBJECT'
      AND typ IN ('registration', 'login', 'logout', 'transaction')
      AND tu = 'VARCHAR' AND length(uid) > 0 AND NOT regexp_matches(uid, '[\x00-\x1f\x7f]')
      AND (typ <> 'registration' OR (
            tc = 'VARCHAR' AND country IN (SELECT code FROM iso)
            AND (tn IS NULL OR (tn = 'VARCHAR' AND NOT regexp_matches(name, '[\x00-\x1f\x7f]')))
            AND tdv = 'VARCHAR' AND dev IN ('iOS', 'Android', 'Web')
            AND (tm = 'NULL' OR (tm = 'VARCHAR' AND NOT regexp_matches(camp, '[\x00-\x1f\x7f]')))))
      AND (typ <> 'transaction' OR (
            ta IN ('BIGINT', 'UBIGINT', 'DOUBLE')
            AND amount IN (0.99, 1.99, 2.99, 4.99, 9.99)
            AND tcu = 'VARCHAR' AND cur IN ('EUR', 'USD')
            AND cur IN (SELECT currency FROM rates)))
)
SELECT seq, CAST(j ->> '$.event_id' AS BIGINT) AS id,
       CAST(j ->> '$.event_timestamp' AS BIGINT) AS ts, typ, uid,
       country, CASE WHEN tn = 'VARCHAR' THEN name ELSE '' END AS name, dev,
       CASE WHEN tm = 'VARCHAR' THEN camp ELSE '' END AS camp, amount, cur
FROM ok
WHERE CAST(j ->> '$.event_timestamp' AS BIGINT) >= 1273276800
  AND CAST(j ->> '$.event_timestamp' AS BIGINT) < 1274572800;
-- rule 5: one event per id, the smallest (timestamp, line)
CREATE TEMP TABLE kept AS
    SELECT *, row_number() OVER (PARTITION BY uid ORDER BY ts, seq) AS rn
    FROM (SELECT * FROM ev QUALIFY row_number() OVER (
              PARTITION BY id ORDER BY ts, seq) = 1);
-- the machine, one step per user's event
CREATE TEMP TABLE steps AS
WITH RECURSIVE sm(uid, rn, reg, open_at, ok, closed_from) AS (
    SELECT DISTINCT uid, 0::BIGINT, false, NULL::BIGINT, false, NULL::BIGINT FROM kept
    UNION ALL
    SELECT k.uid, k.rn,
        s.reg OR k.typ = 'registration',
        CASE WHEN k.typ = 'registration' AND NOT s.reg THEN k.ts
             WHEN k.typ = 'login' AND s.reg AND s.open_at IS NULL THEN k.ts
             WHEN k.typ = 'logout' AND s.reg AND s.open_at IS NOT NULL THEN NULL
             ELSE s.open_at END,
        CASE k.typ WHEN 'registration' THEN NOT s.reg
                   WHEN 'login' THEN s.reg AND s.open_at IS NULL
                   ELSE s.reg AND s.open_at IS NOT NULL END,
        CASE WHEN k.typ = 'logout' AND s.reg AND s.open_at IS NOT NULL
             THEN s.open_at END
    FROM sm s JOIN kept k ON k.uid = s.uid AND k.rn = s.rn + 1
)
SELECT k.*, s.ok, s.closed_from, s.open_at FROM sm s JOIN kept k USING (uid, rn);
CREATE TEMP TABLE acc AS SELECT * FROM steps WHERE ok;
CREATE TEMP TABLE users AS
    SELECT uid, name, country, dev, camp, ts, seq FROM acc WHERE typ = 'registration';
CREATE TEMP TABLE sessions AS
    SELECT uid, closed_from AS s, ts AS e FROM acc WHERE typ = 'logout'
    UNION ALL
    SELECT uid, open_at, NULL FROM steps
    QUALIFY rn = max(rn) OVER (PARTITION BY uid) AND open_at IS NOT NULL;
CREATE TEMP TABLE tx AS
    SELECT a.id, a.uid, a.ts, a.amount, a.cur, a.amount * r.rate AS usd, a.seq
    FROM acc a JOIN rates r ON r.currency = a.cur WHERE a.typ = 'transaction';
-- per user and day
CREATE TEMP TABLE bounds AS
    SELECT min(ts) // 86400 AS lo, max(ts) // 86400 AS hi FROM acc;
CREATE TEMP TABLE secs AS
    SELECT uid, d, least(e, (d + 1) * 86400) - greatest(s, d * 86400) AS n
    FROM (SELECT uid, s, e, unnest(range(s // 86400, (e - 1) // 86400 + 1)) AS d
          FROM sessions WHERE e IS NOT NULL AND e - s >= 1);
CREATE TEMP TABLE ud AS
WITH grid AS (
    SELECT u.uid, u.country, u.name, u.camp, u.ts // 86400 AS rday, u.ts AS rts,
           u.seq AS rseq, unnest(range(u.ts // 86400, (SELECT hi FROM bounds) + 1)) AS d
    FROM users u
), lg AS (
    SELECT uid, ts // 86400 AS d, count(*) AS n FROM acc
    WHERE typ IN ('registration', 'login') GROUP BY ALL
), ss AS (
    SELECT uid, s // 86400 AS d, count(*) AS n FROM sessions
    WHERE e IS NOT NULL AND e - s >= 1 GROUP BY ALL
), sc AS (SELECT uid, d, sum(n) AS n FROM secs GROUP BY ALL)
SELECT g.*, coalesce(lg.n, 0) AS logins, coalesce(ss.n, 0) AS sessions,
       coalesce(sc.n, 0) AS seconds,
       max(CASE WHEN lg.n > 0 THEN g.d END) OVER (
           PARTITION BY g.uid ORDER BY g.d ROWS UNBOUNDED PRECEDING) AS last_login
FROM grid g LEFT JOIN lg USING (uid, d) LEFT JOIN ss USING (uid, d)
     LEFT JOIN sc USING (uid, d);
CREATE TEMP TABLE user_stats AS
    SELECT uid, strftime(to_timestamp(d * 86400), '%Y-%m-%d') AS date, country,
           name, logins, d - last_login AS since, sessions, seconds, rts, rseq, d
    FROM ud
    UNION ALL
    SELECT uid, '', country, name, sum(logins), max(d) - max(last_login),
           sum(sessions), sum(seconds), rts, rseq, NULL
    FROM ud GROUP BY uid, country, name, rts, rseq;
-- half to even to cents: x exact, in cents as a decimal
CREATE MACRO cents(x) AS (
    WITH c AS (SELECT x * 100 AS v, floor(x * 100) AS f)
    SELECT CAST(CASE WHEN v - f > 0.5 OR (v - f = 0.5 AND f % 2 = 1)
                     THEN f + 1 ELSE f END AS BIGINT) FROM c);
-- a / b half to even in hundredths, in integers (b = 0: NULL)
CREATE MACRO avg2(a, b) AS (a * 100) // nullif(b, 0) + CASE
    WHEN 2 * ((a * 100) % nullif(b, 0)) > b
      OR (2 * ((a * 100) % nullif(b, 0)) = b AND ((a * 100) // nullif(b, 0)) % 2 = 1)
    THEN 1 ELSE 0 END;
CREATE TEMP TABLE game AS
WITH per AS (
    SELECT uid, country, d, logins, sessions, seconds, camp,
           d = rday AS first FROM ud
    UNION ALL
    SELECT uid, country, NULL, sum(logins), sum(sessions), sum(seconds),
           any_value(camp), true FROM ud GROUP BY uid, country
), scope AS (
    SELECT d, country AS c, * EXCLUDE (d, country) FROM per
    UNION ALL SELECT d, NULL, * EXCLUDE (d, country) FROM per
), rev AS (
    SELECT d, c, sum(usd) AS usd FROM (
        SELECT t.ts // 86400 AS d, u.country AS c, t.usd FROM tx t JOIN users u USING (uid)
        UNION ALL SELECT t.ts // 86400, NULL, t.usd FROM tx t
        UNION ALL SELECT NULL, u.country, t.usd FROM tx t JOIN users u USING (uid)
        UNION ALL SELECT NULL, NULL, t.usd FROM tx t) GROUP BY ALL
), agg AS (
    SELECT d, c, count(*) FILTER (WHERE logins > 0) AS dau, sum(logins) AS logins,
           count(*) FILTER (WHERE first AND camp <> '') AS paid,
           sum(sessions) AS sess, count(*) FILTER (WHERE sessions > 0) AS sess_u,
           sum(seconds) AS secs, count(*) FILTER (WHERE seconds > 0) AS secs_u
    FROM scope GROUP BY ALL
), rows AS (
    SELECT d.d, c.c FROM (SELECT unnest(range(lo, hi + 1)) AS d FROM bounds
                          UNION ALL SELECT NULL) d,
         (SELECT DISTINCT country AS c FROM users UNION ALL SELECT NULL) c
)
SELECT r.d, r.c, coalesce(a.dau, 0) AS dau, coalesce(a.logins, 0) AS logins,
       coalesce(cents(v.usd), 0) AS rev_cents, coalesce(a.paid, 0) AS paid,
       avg2(coalesce(a.sess, 0), coalesce(a.sess_u, 0)) AS avg_s,
       avg2(coalesce(a.secs, 0), coalesce(a.secs_u, 0)) AS avg_t
FROM rows r LEFT JOIN agg a ON a.d IS NOT DISTINCT FROM r.d AND a.c IS NOT DISTINCT FROM r.c
     LEFT JOIN rev v ON v.d IS NOT DISTINCT FROM r.d AND v.c IS NOT DISTINCT FROM r.c;
COPY (
    SELECT 'users.csv' AS t, uid AS a, name AS b, country AS c, dev AS d,
           camp AS e, CAST(ts AS VARCHAR) AS f, NULL AS g, NULL AS h,
           row_number() OVER (ORDER BY ts, seq) AS o
    FROM users
    UNION ALL
    SELECT 'sessions.csv', uid, CAST(s AS VARCHAR), CAST(e AS VARCHAR),
           CAST(e - s AS VARCHAR), CASE WHEN e - s >= 1 THEN 'true' ELSE 'false' END,
           NULL, NULL, NULL, row_number() OVER (ORDER BY s, uid, e IS NULL, e)
    FROM sessions
    UNION ALL
    SELECT 'transactions.csv', CAST(id AS VARCHAR), uid, CAST(ts AS VARCHAR),
           CAST(amount AS VARCHAR), cur, CAST(usd AS VARCHAR), NULL, NULL,
           row_number() OVER (ORDER BY ts, seq)
    FROM tx
    UNION ALL
    SELECT 'user_stats.csv', uid, date, country, name, CAST(logins AS VARCHAR),
           CAST(since AS VARCHAR), CAST(sessions AS VARCHAR), CAST(seconds AS VARCHAR),
           row_number() OVER (ORDER BY rts, rseq, d IS NULL, d)
    FROM user_stats
    UNION ALL
    SELECT 'game_stats.csv',
           CASE WHEN d IS NULL THEN '' ELSE strftime(to_timestamp(d * 86400), '%Y-%m-%d') END,
           coalesce(c, ''), CAST(dau AS VARCHAR), CAST(logins AS VARCHAR),
           CAST(rev_cents AS VARCHAR), CAST(paid AS VARCHAR),
           CAST(avg_s AS VARCHAR), CAST(avg_t AS VARCHAR),
           row_number() OVER (ORDER BY d IS NULL, d, c IS NOT NULL, c)
    FROM game
    ORDER BY t, o
) TO :out (HEADER, DELIMITER ',');
