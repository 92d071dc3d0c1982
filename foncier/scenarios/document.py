"""Read a scenario document (YAML or JSON) and turn its lots into the model's frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from shapely.errors import ShapelyError
from shapely.geometry import shape

from foncier import limits
from foncier.errors import InvalidInput, TooLarge
from foncier.files.structured import load_json, load_yaml
from foncier.files.text import decoded
from foncier.geo import to_store
from foncier.scenarios.indices import read_index_series
from foncier.schemas.fields import load
from foncier.schemas.scenario import ScenarioSchema
from matching.pricecap.clause import programme_shares

# Lot keys whose absence means "not given" (NaN) rather than a default.
_OPTIONAL_NUMBERS = (
    "price_eur_m2",
    "rent_eur_m2_year",
    "yield",
    "cap_price_eur_m2",
    "cap_rent_eur_m2_year",
    "cap_share_of_market",
    "ess_land_charge_eur_m2",
)
# Lot keys that place the ESS premises (coverage), not numbers of the model.
_PLACING = ("point", "unit_sizes_m2")


def read_document(path: Path) -> dict[str, Any]:
    """Parse FILE as YAML or JSON (by its extension, YAML otherwise) and validate it."""
    try:
        if path.stat().st_size > limits.MAX_DOCUMENT_BYTES:
            raise TooLarge(
                f"« {path.name} » dépasse {limits.format_bytes(limits.MAX_DOCUMENT_BYTES)} ;"
                " un scénario tient en quelques pages."
            )
        raw = decoded(path.read_bytes(), path.name)
    except OSError as exc:
        raise InvalidInput(f"« {path.name} » : fichier illisible ({exc.strerror}).") from None
    return parse_document(
        raw, json_only=path.suffix.lower() == ".json", name=str(path), folder=path.parent
    )


def parse_document(
    raw: str, *, json_only: bool = False, name: str = "scénario", folder: Path | None = None
) -> dict[str, Any]:
    """Parse and validate; ``folder`` lets ``indices.<name>.series_file`` name a CSV file
    (INSEE's format) beside the document: only a file read from the command line may."""
    data = load_json(raw, name) if json_only else load_yaml(raw, name)
    if not isinstance(data, dict):
        found = "rien" if data is None else type(data).__name__
        raise InvalidInput(
            f"« {name} » : attendu un scénario, un objet avec au moins perimeter et lots "
            f"(voir data/scenario-exemple.yaml) ; trouvé : {found}."
        )
    _read_series_files(data, folder)
    return validate_document(data)


def parse_scenario_file(content: bytes, name: str) -> dict[str, Any]:
    """An uploaded scenario file, as sent: decoded, then parsed (YAML, or JSON by its name)."""
    return parse_document(
        decoded(content, name), json_only=name.lower().endswith(".json"), name=name
    )


def _read_series_files(data: dict[str, Any], folder: Path | None) -> None:
    indices = data.get("indices")
    if not isinstance(indices, dict):
        return
    for name, setting in indices.items():
        if not isinstance(setting, dict) or "series_file" not in setting:
            continue
        if folder is None:
            raise InvalidInput.from_errors(
                {
                    f"indices[{name}][series_file]": [
                        "Permis seulement dans un fichier lu par la "
                        "ligne de commande ; ici, donnez la série elle-même (series)."
                    ]
                }
            )
        setting["series"] = read_index_series(folder / str(setting.pop("series_file")))


def validate_document(data: Any) -> dict[str, Any]:
    """The validated scenario, with every default filled in; French errors on every field."""
    if isinstance(data, dict):
        data = {k: _plain_dates(v) for k, v in data.items()}
    document = load(ScenarioSchema(), data)
    lots_frame(document)  # a programme share too large for the lots is refused here
    return document


def _plain_dates(value: Any) -> Any:
    """YAML reads 2027-01-01 as a date; the schema reads ISO text, as JSON gives it."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def lots_frame(document: dict[str, Any]) -> pd.DataFrame:
    """The lots as the pure model's frame: one row per lot, NaN where a value is not given,
    and the ESS shares in force (a share of the whole programme spread over the lots)."""
    rows = [
        {("yield" if k == "yield_" else k): v for k, v in lot.items() if k not in _PLACING}
        for lot in document["lots"]
    ]
    frame = pd.DataFrame(rows)
    for column in _OPTIONAL_NUMBERS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["vacancy"] = frame["vacancy"].astype(float)
    frame["buyer_costs"] = frame["buyer_costs"].astype(float)
    frame = frame.replace({None: np.nan}).infer_objects()
    if document["ess_programme_share"] is not None:
        try:
            frame["ess_share"] = programme_shares(frame, document["ess_programme_share"])
        except ValueError as exc:
            raise InvalidInput.from_errors({"ess_programme_share": [str(exc)]}) from None
    return frame


def with_perimeter(document: dict[str, Any], perimeter: Any) -> dict[str, Any]:
    """The document over another perimeter (GeoJSON): a lot whose point falls outside it loses
    its point and is placed inside the perimeter, like a lot given without one."""
    plain = document_json(document)
    try:
        area = shape(perimeter)
    except (AttributeError, KeyError, TypeError, ValueError, ShapelyError):
        area = None  # the schema names what is wrong with it
    for lot in plain["lots"]:
        if area is not None and lot.get("point") and not area.contains(shape(lot["point"])):
            lot["point"] = None
    return validate_document({**plain, "perimeter": perimeter})


def lot_position(lot: dict[str, Any], perimeter: Any) -> Any:
    """Where a lot stands (WGS84): its point, else a point inside the perimeter."""
    return lot["point"] if lot.get("point") is not None else perimeter.representative_point()


def perimeter_store(document: dict[str, Any]) -> Any:
    """The perimeter in Lambert-93 (the store's projection), for distances and maps."""
    return to_store(document["perimeter"])


def document_json(document: dict[str, Any]) -> dict[str, Any]:
    """The validated document back as plain JSON (GeoJSON geometries), to store or send."""
    dumped: dict[str, Any] = ScenarioSchema().dump(document)
    return dumped
