#!/usr/bin/env node
// duckdb-validate.js: run scripts/bench-sql/validate.sql in DuckDB, for
// scripts/bench.  Node.js driver of the @duckdb/node-api package, which
// scripts/bench installs with npm outside the project.
//
//   node duckdb-validate.js MODULES SQLFILE SERVING USER OUT
//   node duckdb-validate.js MODULES --version
//
// MODULES is the node_modules folder holding @duckdb/node-api.  The SQL's
// :serving, :user and :out are replaced by the quoted paths.  Prints one
// JSON line on standard output: the DuckDB version, its thread count, the
// rows written and the seconds spent in each statement.
'use strict';
const path = require('path');
const fs = require('fs');

function usage() {
  process.stderr.write('usage: duckdb-validate.js MODULES SQLFILE SERVING USER OUT\n' +
                       '       duckdb-validate.js MODULES --version\n');
  process.exit(2);
}

const quote = (s) => "'" + String(s).replace(/'/g, "''") + "'";

async function main(argv) {
  if (argv.length < 2) usage();
  let api;
  try {
    api = require(path.join(path.resolve(argv[0]), '@duckdb', 'node-api'));
  } catch (e) {
    process.stderr.write('duckdb-validate: cannot load @duckdb/node-api from ' +
                         argv[0] + ': ' + e.message + '\n');
    process.exit(3);
  }
  const t0 = process.hrtime.bigint();
  const inst = await api.DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const info = (await con.runAndReadAll(
    "SELECT version(), current_setting('threads')")).getRows()[0];
  const version = String(info[0]);
  const threads = Number(info[1]);
  if (argv[1] === '--version') {
    process.stdout.write(JSON.stringify({ version, threads }) + '\n');
    return;
  }
  if (argv.length !== 5) usage();
  const [, sqlfile, serving, user, out] = argv;
  const vars = { serving, user, out };
  const sql = fs.readFileSync(sqlfile, 'utf8')
    .replace(/:(serving|user|out)\b/g, (m, k) => quote(vars[k]));
  const stmts = await con.extractStatements(sql);
  const steps = [];
  let rows = null;
  for (let i = 0; i < stmts.count; i++) {
    const t = process.hrtime.bigint();
    const prep = await stmts.prepare(i);
    const res = await prep.runAndReadAll();
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    const r = res.getRows();
    if (r.length === 1 && r[0].length === 1 && typeof r[0][0] === 'bigint')
      rows = Number(r[0][0]);               // COPY's row count
    steps.push(+secs.toFixed(4));
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ version, threads, rows, steps,
                                        seconds: +total.toFixed(4) }) + '\n');
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write('duckdb-validate: ' + (e && e.message ? e.message : e) + '\n');
  process.exit(1);
});
