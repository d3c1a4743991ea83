"""The Lambda package: everything the handler imports, nothing else, the same bytes every time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from pipeline.inquiry.package import HANDLER, write_package
from tests.support.sitefactory import ROOT


def test_package_runs_the_handler_from_the_zip_alone(tmp_path):
    first = write_package(ROOT, tmp_path / "a")
    second = write_package(ROOT, tmp_path / "b")
    assert first.name == second.name and first.read_bytes() == second.read_bytes()
    names = zipfile.ZipFile(first).namelist()
    assert "pipeline/inquiry/lambda_handler.py" in names and "pipeline/inquiry/origin.py" in names
    assert "phonenumbers/__init__.py" in names
    assert (
        "email_validator/__init__.py" in names and "dns/__init__.py" in names and "idna/__init__.py" in names
    )
    assert not any(
        n.startswith(("tests/", "plugins/", "demo/", "boto3/", "botocore/", "pipeline/deploy/"))
        for n in names
    )
    assert not any(n.endswith(".pyc") for n in names)
    # None of the build: no site policy (tag firewall, parsers), no content model, no Markdown line.
    assert not any(
        n.startswith(
            (
                "pipeline/sitepolicy/",
                "pipeline/content/",
                "selectolax/",
                "ada_url/",
                "tinycss2/",
                "pelican/",
                "markdown/",
            )
        )
        for n in names
    )
    sources = {n: zipfile.ZipFile(first).read(n).decode() for n in names if n.startswith("pipeline/")}
    for name, text in sources.items():
        for module in ("sitepolicy", "pipeline.content", "selectolax", "ada_url", "tinycss2", "pelican"):
            assert (
                f"import {module}" not in text
                and f"from {module}" not in text
                and f"from pipeline.{module}" not in text
            ), (name, module)

    # Unpacked alone, as Lambda does, the handler imports and answers an event (boto3 is the runtime's).
    folder = tmp_path / "task"
    zipfile.ZipFile(first).extractall(folder)
    module, function = HANDLER.rsplit(".", 1)
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        f"import {module} as m; import pipeline, phonenumbers, email_validator;"
        "assert pipeline.__file__.startswith(sys.argv[1]) and phonenumbers.__file__.startswith(sys.argv[1]);"
        "assert email_validator.__file__.startswith(sys.argv[1]);"
        f"h = m.make_handler(__import__('pipeline.inquiry', fromlist=['x']).build_receiver("
        "{'INQUIRY_STORE': sys.argv[1] + '/store'}), __import__('pipeline.inquiry.origin', fromlist=['x']).LOCAL);"
        "r = h({'rawPath': '/api/inquiry', 'requestContext': {'http': {'method': 'OPTIONS'}}, 'headers': {}});"
        f"assert callable(m.{function}); print(r['statusCode'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "403"  # a preflight from no known origin
