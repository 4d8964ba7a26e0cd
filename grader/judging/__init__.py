"""Judging: a submission and a problem -> results. Compiling once (``compile``), running
each case in a box and classifying the run (``verdicts``, the table), the checker programs
(``checker_program``, ``conventions``), scoring, the result cache, a batch of submissions
(``batch``) and a single editor run (``execute``). Talks to Docker only through
``grader.sandbox``."""
