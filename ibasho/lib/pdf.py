"""HTML to PDF (WeasyPrint; the templates set A4 and the Noto CJK fonts)."""

import logging
from collections.abc import Sequence


def html_to_pdf(html: str, *, attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """The PDF of `html`; `attachments` (file name, content) are embedded as files in it."""
    from weasyprint import HTML, Attachment

    # Its progress messages ("Step 1 …") would fill the log at INFO.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    files = [Attachment(string=content, name=name) for name, content in attachments]
    return bytes(HTML(string=html).write_pdf(attachments=files or None))
