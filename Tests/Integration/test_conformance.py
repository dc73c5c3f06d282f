"""The parquet-testing conformance corpus: `basalt parquet cat --format json`
on every file, judged by the corpus's own check.py against expected/."""
import subprocess
import sys

from basalt_support import error_problem


def test_corpus_matches_expected(conformance, corpus):
    out, runs = conformance
    assert runs, "no corpus files found"
    p = subprocess.run([sys.executable, str(corpus / "check.py"), str(out), "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = p.stdout.strip().splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    summary = lines[-1] if lines else "(no output)"
    assert p.returncode == 0, "check.py %s: %s\n%s\n(outputs in %s)" % (
        corpus / "check.py", summary, "\n".join(failures) or p.stdout, out)


def test_every_failure_is_a_json_error_with_message(conformance):
    _, runs = conformance
    problems = []
    for rel, run in sorted(runs.items()):
        if run.returncode == 0:
            continue
        why = error_problem(run)
        if why:
            problems.append("%s: %s" % (rel, why))
    assert not problems, "\n".join(problems)

