"""Evals that score a prompt change: suites, run records, compare, the regression gate.

- `runner.run_eval(suites, settings, repeat=...)` -> `records.RunRecord`; `records.save_run`
  and `records.load_run` read and write `runs/<timestamp>-<suite>-<hash8>.json`.
- `compare.compare_runs(a, b)` -> metric deltas and flipped cases; `compare.gate` applies
  `thresholds.load_thresholds()`; `report.render_html` writes the offline HTML report.
- Suites (`grading`, `probes`, `interviewer`, `retrieval`) subclass `suite.Suite` and are
  listed in `runner.SUITES`; graders plug in by backend in `graders.GRADERS`.
- `cli.eval_group` is the `sdsim eval` command group. See `evals/README.md`.
"""
