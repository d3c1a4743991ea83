"""Markdown extension: a line ``[[testimonial T-2026-001]]`` becomes the testimonial's placeholder.

The build fills the placeholder from the testimonials ledger (``pipeline.claims.testimonials``):
the words, the attribution and any disclosure, or nothing when the consent does not allow it.
"""

from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor

from pipeline.claims import testimonials

NAME = "plugins.claims.markdown:TestimonialExtension"


class TestimonialPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for line in lines:
            match = testimonials.LINE.match(line)
            if match is None:
                out.append(line)
                continue
            out += ["", self.md.htmlStash.store(testimonials.placeholder(match.group("id"))), ""]
        return out


class TestimonialExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # After fenced code (25) has set code blocks aside, before raw HTML blocks (20).
        md.preprocessors.register(TestimonialPreprocessor(md), "testimonial", 21)


def makeExtension(**kwargs):
    return TestimonialExtension(**kwargs)
