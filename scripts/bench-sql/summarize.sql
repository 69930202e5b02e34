-- summarize.sql: the OrderGroove dashboard of scripts/bench in DuckDB, as
-- evp-summarize -g symbol --count count --min date:time:earliest
-- --max date:time:latest --children followup.csv:uuid:followups computes
-- it: per symbol the initial rows, their least and greatest date as a
-- timestamp, and the followup rows whose uuid is one of theirs.  Run by
-- duckdb-validate.js, which replaces :serving (initial.csv), :user
-- (followup.csv) and :out.  DuckDB at its best: its own CSV reader, the
-- column types given rather than sniffed, every core.
SET TimeZone = 'UTC';
COPY (
    WITH c AS (
        SELECT uuid, count(*) AS n
        FROM read_csv(:user, header = true, auto_detect = false,
                      delim = ',', quote = '"', escape = '"', columns = {
                          'uuid': 'VARCHAR', 'symbol': 'VARCHAR',
                          'is_vowel': 'VARCHAR', 'url': 'VARCHAR',
                          'date': 'VARCHAR'})
        GROUP BY uuid
    )
    SELECT i.symbol, count(*) AS count, min(i.date) AS earliest,
           max(i.date) AS latest, coalesce(sum(c.n), 0) AS followups
    FROM read_csv(:serving, header = true, auto_detect = false,
                  delim = ',', quote = '"', escape = '"', columns = {
                      'uuid': 'VARCHAR', 'symbol': 'VARCHAR',
                      'is_vowel': 'VARCHAR', 'url': 'VARCHAR',
                      'date': 'TIMESTAMP'}) AS i
    LEFT JOIN c ON i.uuid = c.uuid
    GROUP BY i.symbol
    ORDER BY i.symbol
) TO :out (HEADER, DELIMITER ',');
