"""An observatory table as a file people open in a spreadsheet: French CSV or XLSX.

The same conventions as the registry exports (``foncier.exports``): ``;`` and decimal comma
with a BOM for CSV, typed cells and a frozen, filtered header row for XLSX.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from foncier.errors import InvalidInput
from foncier.exports import csv_cell
from foncier.observatory.table import Table

FORMATS = ("csv", "xlsx")


def table_file(table: Table, extension: str) -> bytes:
    """The table's bytes in the format ``extension`` names (csv or xlsx)."""
    check_format(extension)
    return _csv(table) if extension == "csv" else _xlsx(table)


def check_format(extension: str) -> None:
    """Refuse an unknown format before any figure is computed."""
    if extension in FORMATS:
        return
    raise InvalidInput(
        f"Format d'export non pris en charge : « {extension} » ; formats permis : "
        f"{', '.join(FORMATS)}."
    )


def _csv(table: Table) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(c.label for c in table.columns)
    for row in table.rows:
        writer.writerow(csv_cell(row.get(c.key)) for c in table.columns)
    # The BOM makes Excel read UTF-8; it splits on ";" where the decimal mark is a comma.
    return stream.getvalue().encode("utf-8-sig")


def _xlsx(table: Table) -> bytes:
    buffer = io.BytesIO()
    frame = table.labelled().astype(object)
    sheet_name = table.name[:31]  # Excel's limit on a sheet's name
    with pd.ExcelWriter(buffer, engine="openpyxl") as excel:
        frame.to_excel(excel, sheet_name=sheet_name, index=False, freeze_panes=(1, 0))
        sheet = excel.sheets[sheet_name]
        sheet.auto_filter.ref = sheet.dimensions
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if cell.data_type == "f":  # text starting with "=" is a name, not a formula
                    cell.data_type = "s"
    return buffer.getvalue()
