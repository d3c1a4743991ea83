"""Markdown extension: a line ``[[inquiry-form ...]]`` becomes the form's placeholder.

The syntax and the placeholder are defined in :mod:`pipeline.content.form_marker`; the build
replaces the placeholder with the theme's form component when it writes the page. The
line must stand on its own; inside code blocks and inline code it is left as written, so
the syntax can be documented on the site itself.
"""

from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor

from pipeline.content import form_marker as markers

NAME = "plugins.inquiry_tags.markdown:InquiryFormExtension"


class InquiryFormPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            match = markers.LINE.match(line)
            if match is None:
                out.append(line)
                continue
            # Stashed raw HTML, on its own block: Markdown writes it without a <p> around it.
            out += ["", self.md.htmlStash.store(markers.placeholder(match.group("args"))), ""]
        return out


class InquiryFormExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # After fenced code (25) has set code blocks aside, before raw HTML blocks (20).
        md.preprocessors.register(InquiryFormPreprocessor(md), "inquiry_form", 22)


def makeExtension(**kwargs):
    return InquiryFormExtension(**kwargs)
