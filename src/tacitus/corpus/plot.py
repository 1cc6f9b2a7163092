"""Plots of the corpus view (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tacitus.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd


def plot_dyad(df: "pd.DataFrame", path: str | os.PathLike[str], title: str) -> int:
    """Draw a dyad (the frame :meth:`Database.dyad` returns): cooperation above the axis, conflict below
    (merged events per period, verbal lighter than material), mean intensity as a line on a second axis.
    The format follows the file name (.png or .svg). Returns the number of periods drawn."""
    fmt = os.path.splitext(str(path))[1].lstrip(".").lower()
    if fmt not in ("png", "svg"):
        raise StoreError(f"cannot plot to {path}: use a .png or .svg file name")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = df[df["events"] > 0].reset_index(drop=True) if "events" in df else df
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(data) + 3), 4.2))
    try:
        x = list(range(len(data)))
        if len(data):
            ax.bar(x, data["material_cooperation"], color="#1a7f37", label="material cooperation")
            ax.bar(x, data["verbal_cooperation"], bottom=data["material_cooperation"], color="#8fd19e",
                   label="verbal cooperation")
            ax.bar(x, -data["material_conflict"], color="#b42318", label="material conflict")
            ax.bar(x, -data["verbal_conflict"], bottom=-data["material_conflict"], color="#f4a3a0",
                   label="verbal conflict")
            ax2 = ax.twinx()
            ax2.plot(x, data["intensity"], color="#333333", marker="o", linewidth=1.2, label="mean intensity")
            ax2.set_ylim(-10.5, 10.5)
            ax2.set_ylabel("mean intensity (-10 conflict .. +10 cooperation)")
            ax.set_xticks(x)
            ax.set_xticklabels(data["period"].tolist(), rotation=45, ha="right")
            top = max(1, int(max(data["cooperation"].max(), data["conflict"].max())))
            ax.set_ylim(-top - 0.5, top + 0.5)
        else:
            ax.text(0.5, 0.5, "no events between these actors", ha="center", va="center", transform=ax.transAxes)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel("merged events (cooperation up, conflict down)")
        ax.set_title(f"{title}: cooperation and conflict")
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, labels, loc="upper left", fontsize=8, frameon=False)
        fig.tight_layout()
        try:
            fig.savefig(path, format=fmt, dpi=120)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}") from None
    finally:
        plt.close(fig)
    return len(data)
