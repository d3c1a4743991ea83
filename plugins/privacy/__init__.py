"""Checks on the written site at every build: no name from the private patient list.

``PUBLISH_GUARD_PATIENT_LIST`` [None]: the path of the practice's private list of patients'
names (kept outside the repository; ``PRIVATE_PATIENT_LIST`` in the environment sets it, see
pelicanconf.py). When set, the build stops if any of its names appears anywhere in what it
wrote, naming the page and the entry number, never the name (``pipeline.patient_list``); the
deploy's publish guard checks the same again. Nothing else here: the personal-data rules run on
the content before anything is written (plugins/content_model).
"""

from __future__ import annotations

from pelican import signals

from pipeline.patient_list import load_patient_list
from pipeline.publish_guard import PublishGuardError, guard_message, patient_findings
from pipeline.sitefiles import read_tree


def check_patient_names(pelican) -> None:
    listed = pelican.settings.get("PUBLISH_GUARD_PATIENT_LIST")
    if not listed:
        return
    tree = read_tree(pelican.output_path)
    findings = patient_findings(tree, load_patient_list(listed))
    if findings:
        raise PublishGuardError(guard_message(tree.root, findings, action="build"))


def register():
    signals.finalized.connect(check_patient_names)
