"""HTML to PDF (WeasyPrint; the templates name Noto CJK so Japanese prints without tofu)."""

import logging


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Its progress messages ("Step 1 …") would fill the log at INFO.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    return bytes(HTML(string=html).write_pdf())
