"""What every module has: the model's parameters and residents, and this week's counts."""

from __future__ import annotations


class Module:
    """One mechanism. ``COUNTS`` names the events it counts each week (zeroed as the week
    starts); ``results()`` gives its output columns for the week (by default the counts)."""

    COUNTS: tuple[str, ...] = ()

    def __init__(self, model):
        self.model = model
        self.p = model.params
        self.residents = model.residents
        self.count = dict.fromkeys(self.COUNTS, 0)

    def start_week(self) -> None:
        for key in self.count:
            self.count[key] = 0

    def results(self) -> dict[str, float]:
        return dict(self.count)
