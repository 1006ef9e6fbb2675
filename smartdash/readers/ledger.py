"""Ledger exports (FEC), recognised by their header; read as a stream from disk, and loading their own figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from smartdash import fec_header
from smartdash.readers import reader

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from smartdash import fec


@dataclass(frozen=True)
class Ledger:
    """A ledger export to preview or load; `entity` names its entity when its file name does not."""

    name: str
    data: fec_header.Source
    entity: str | None = None

    def preview(self, engine: Engine) -> tuple[fec.LedgerDiff, pd.DataFrame]:
        from smartdash import fec  # the ledger's loader, only for a ledger export

        return fec.preview_fec(engine, self.name, self.data, entity=self.entity)

    def load(self, session: Session, *, loaded_by: str, allow_large_removal: bool = False) -> fec.LedgerLoadResult:
        from smartdash import fec

        return fec.load_fec(
            session, self.name, self.data, loaded_by=loaded_by, entity=self.entity, allow_large_removal=allow_large_removal
        )


@reader("fec", recognises=lambda name, head: fec_header.recognised(head), loads_itself=True, streams=True, order=10)
def read_ledger(name: str, data: fec_header.Source, *, entity: str | None = None, **_options) -> Ledger:
    return Ledger(name, data, entity)
