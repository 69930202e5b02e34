-- sort.sql: the sort of scripts/bench in DuckDB.  The user events ordered
-- by eventTimestamp read as a timestamp (TIMESTAMPTZ: the file's instants
-- carry their zones), every field kept as its text.  Run by
-- duckdb-validate.js, which replaces :user and :out (and :serving, unused
-- here).  DuckDB's ORDER BY is not stable: equal instants may come out in
-- any order, which the bench's check allows.
SET TimeZone = 'UTC';
COPY (
    SELECT * EXCLUDE (ts)
    FROM (
        SELECT *, CAST(eventTimestamp AS TIMESTAMPTZ) AS ts
        FROM read_csv(:user, header = true, all_varchar = true,
                      auto_detect = false, delim = ',', quote = '"',
                      escape = '"', columns = {
                          'eventId': 'VARCHAR', 'eventTimestamp': 'VARCHAR',
                          'eventType': 'VARCHAR', 'parentEventId': 'VARCHAR',
                          'userId': 'VARCHAR', 'advertiserId': 'VARCHAR',
                          'deviceId': 'VARCHAR', 'price': 'VARCHAR'})
    )
    ORDER BY ts
) TO :out (HEADER, DELIMITER ',');
