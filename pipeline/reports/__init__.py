"""Reports: where inquiries came from, which became patients, what they brought in.

`inv report --period week|month|quarter [--as-of DATE] [--lead-list]` reads every source,
matches inquiries to bookings and sales, and writes ``internal/reports/<period>-<first day>/``.

One module per step, pure in the middle and I/O at the edges:

===============  ==========================================================================
module           what it does
===============  ==========================================================================
``normalize``    messy cells and files: encodings, Excel quirks, dates, phones (E.164),
                 emails, amounts
``ingest``       web inquiries (the receiver's store or its export) and the front-desk CSV
                 -> ``Lead`` records; which touch gets the credit
``channels``     the channel of an attribution touch (paid search, partner, organic ...)
``emr``          Boulevard, Zenoti, Aesthetic Record and generic exports -> ``Conversion``
                 and ``Client`` records; the declared column tables live here
``periods``      weeks, months and quarters as practice-local days (DST-correct)
``analysis``     people (email/phone/client-id union), attribution within the window,
                 the per-period cohort with repeat inquiries merged, tables, leaderboard,
                 Google Ads offline conversions
``report``       ``period_report(inputs, period, options) -> Report``: all of the above
``render``       tables (CSV), charts, HTML, the Ads CSV, the lead list; ``pdf`` the PDF
``charts``       matplotlib drawings, byte-for-byte deterministic
``config``       the REPORT_* settings, checked
``run``          the edge: reads files and the content folder, progress bars, writes the
                 folder in one step (``pipeline.files.write_folder``)
``equipment``    per device and month: inquiries, consultations, treatments, revenue, payback
                 against data/devices.yml; retail products (units, revenue, top sellers, attach
                 rate); ``equipment_run`` its edge (`inv equipment`)
===============  ==========================================================================

Settings (REPORT_*; see ``config.DEFAULTS`` and README, "Reports"): REPORT_SOURCES,
REPORT_EMR_FORMAT, REPORT_COLUMN_MAP, REPORT_MATCH_WINDOW_DAYS, REPORT_WEEK_START,
REPORT_ATTRIBUTION, REPORT_DATE_ORDER, REPORT_PHONE_REGION, REPORT_CURRENCY,
REPORT_CONVERSION_NAMES, REPORT_LEAD_LIST. The area's one exception is
:class:`~pipeline.reports.errors.ReportError`. The invented inputs (the demo's data/ files and
the benchmark's 100,000 inquiries) are drawn by ``demo/reports.py``, outside this package.
"""

from pipeline.reports.errors import ReportError

__all__ = ["ReportError"]
