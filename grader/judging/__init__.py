"""Judging: a submission and a problem -> results. ``judge`` drives it: compiling once
(``compile``), each case in a run box (``boxes``), the pure step from a run to its result
(``results``: the verdict table of ``verdicts``, then the problem's rule, ``checking``:
built-in checkers or checker programs, ``checker_program`` and ``conventions``), interactive
judging (``interactive``), scoring, the result cache (``cache``, seen through ``recall``), a
batch of submissions (``batch``) and a single editor run (``execute``). Talks to Docker only
through ``grader.sandbox``."""
