"""Price books: one Region's sourced, dated AWS prices (costs/prices/<region>.json), validated
against costs/prices/schema.json with jsonschema, and loaded into typed records."""

from __future__ import annotations

import functools
import json
import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from signin_lab.errors import SigninLabError

Plan = Literal["legacy", "free", "paid"]
PLANS: tuple[str, ...] = get_args(Plan)

#: One price book per Region, `<region>.json`, and the JSON Schema they follow.
PRICES_DIR = Path(__file__).with_name("prices")
SCHEMA_PATH = PRICES_DIR / "schema.json"
#: The book `load_prices()` and `estimate()` use when none is given: the Region every figure was
#: first published for (eu-west-1.json says which of its figures are confirmed for Ireland).
DEFAULT_PRICE_REGION = "us-east-1"


@dataclass(frozen=True)
class Price:
    """One priced item of a price book: `price_usd` per `per` units, with its free allowance."""

    key: str
    service: str
    item: str
    unit: str
    price_usd: float
    per: int
    free: Mapping[str, Any]
    source: str
    read: str
    via: str = ""
    carried_from: str | None = None  # set when no figure for the book's Region was found
    #: Volume tiers: (up_to, price_usd per `per` units), up_to None for the last; () = one flat price.
    tiers: tuple[tuple[int | None, float], ...] = ()

    @property
    def unit_price(self) -> float:
        """USD for one unit (e.g. 0.00002 for USD 2.00 per 100,000 events); the first tier's."""
        return self.price_usd / self.per

    def cost(self, start: float, end: float) -> float:
        """USD for the units numbered start..end of the month (units before `start` are free).

        Flat: (end - start) x unit_price. Tiered: each unit at its tier's price, tiers counted
        from the month's first unit, e.g. CloudWatch's custom metrics 10,001-10,010 at USD 0.10.
        """
        if end <= start:
            return 0.0
        if not self.tiers:
            return (end - start) * self.unit_price
        usd = 0.0
        low = 0.0
        for up_to, price in self.tiers:
            high = math.inf if up_to is None else float(up_to)
            usd += max(0.0, min(end, high) - max(start, low)) * price / self.per
            low = high
        return usd

    @property
    def label(self) -> str:
        """The price as AWS writes it, e.g. 'USD 2.00 per 100,000 events'."""
        price = self.price_usd
        amount = f"{price:.2f}" if round(price, 2) == price else f"{price:g}"
        if self.per == 1:
            text = f"USD {amount} per {self.unit}"
            if self.tiers:  # e.g. "USD 0.30 per metric-month for the first 10,000, less beyond"
                text += f" for the first {self.tiers[0][0]:,}, less beyond"
            return text
        plural = self.unit if self.unit.endswith(("s", "month")) else f"{self.unit}s"
        return f"USD {amount} per {self.per:,} {plural}"


@dataclass(frozen=True)
class PlanTerms:
    """A free-tier regime: credits, how long they last, whether the 12-month offers apply."""

    name: str
    description: str
    credits_usd: float
    max_earned_credits_usd: float
    plan_months: int | None
    credit_months: int | None
    twelve_month_offers_months: int
    source: str
    read: str


@dataclass(frozen=True)
class Pool:
    """A free allowance shared by several items (CloudWatch Logs' one 5 GB of data)."""

    name: str
    size: float
    order: tuple[str, ...]
    source: str
    decision: str


@dataclass(frozen=True)
class PriceBook:
    """Everything a price book (costs/prices/<region>.json) holds, checked: items, SMS by country, pools, plans."""

    region: str
    currency: str
    items: Mapping[str, Price]
    sms: Mapping[str, Price]
    eventbridge: Mapping[str, Price]
    pools: Mapping[str, Pool]
    plans: Mapping[str, PlanTerms]
    path: str

    def all_prices(self) -> list[Price]:
        """Every priced item, SMS countries and EventBridge included."""
        return [*self.items.values(), *self.sms.values(), *self.eventbridge.values()]


def _tiers(key: str, raw: Mapping[str, Any]) -> tuple[tuple[int | None, float], ...]:
    """The item's tiers, checked beyond the schema: rising limits, open last, first = price_usd."""
    tiers = tuple((t["up_to"], float(t["price_usd"])) for t in raw.get("tiers", ()))
    if not tiers:
        return ()
    limits = [up for up, _ in tiers[:-1]]
    if (tiers[-1][0] is not None or None in limits or limits != sorted(set(limits))  # type: ignore[type-var]
            or tiers[0][1] != float(raw["price_usd"])):
        raise SigninLabError(
            f"items.{key}.tiers: limits must rise, the last be null (no limit), and the first "
            f"tier's price equal price_usd; got {list(raw['tiers'])}", field="prices")
    return tiers


def _price(key: str, raw: Mapping[str, Any]) -> Price:
    return Price(
        key=key,
        service=str(raw["service"]),
        item=str(raw["item"]),
        unit=str(raw["unit"]),
        price_usd=float(raw["price_usd"]),
        per=int(raw["per"]),
        free=types.MappingProxyType(dict(raw.get("free", {}))),
        source=str(raw["source"]),
        read=str(raw["read"]),
        via=str(raw.get("via", "")),
        carried_from=raw.get("carried_from"),
        tiers=_tiers(key, raw),
    )


def price_regions() -> tuple[str, ...]:
    """The Regions that have a price book in costs/prices/ (sorted)."""
    return tuple(sorted(p.stem for p in PRICES_DIR.glob("*.json") if p.name != SCHEMA_PATH.name))


def price_book(region: str) -> PriceBook:
    """The price book of `region` (costs/prices/<region>.json), validated against the schema.

    A Region without a book is a SigninLabError naming the Regions that have one.
    """
    if region not in price_regions():
        raise SigninLabError(
            f"region {region!r}: no price book; books exist for {', '.join(price_regions())}",
            field="region",
        )
    return _book_at(PRICES_DIR / f"{region}.json", validate=False)  # validated by the tests


def load_prices(path: str | Path | None = None) -> PriceBook:
    """Read and check a price file (default: the us-east-1 book, as before there were several).

    A malformed file raises SigninLabError naming the file and the JSON path of the bad entry.
    """
    if path is None:
        return price_book(DEFAULT_PRICE_REGION)
    return _load(Path(path))


def as_price_book(prices: PriceBook | str | Path | Mapping[str, Any]) -> PriceBook:
    """A PriceBook from a loaded book, a path to a book's JSON file, or the book as a dict (validated)."""
    if isinstance(prices, PriceBook):
        return prices
    if isinstance(prices, (str, Path)):
        return _load(Path(prices))
    if isinstance(prices, Mapping):
        return _from_data(prices, "prices")
    raise SigninLabError(
        f"prices: expected a PriceBook, a path or a dict, got {type(prices).__name__}", field="prices"
    )


@functools.cache
def _schema_validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@functools.lru_cache(maxsize=8)
def _book_at(path: Path, validate: bool = True) -> PriceBook:
    return _load(path, validate)


def _load(path: Path, validate: bool = True) -> PriceBook:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SigninLabError(f"{path}: cannot read the price file ({exc.strerror})", field="prices") from None
    except json.JSONDecodeError as exc:
        raise SigninLabError(f"{path}: line {exc.lineno}, column {exc.colno}: {exc.msg}", field="prices") from None
    return _from_data(data, str(path), validate)


def _from_data(data: Any, where: str, validate: bool = True) -> PriceBook:
    """Validate `data` against costs/prices/schema.json (jsonschema), then build the PriceBook.

    `validate=False` only for the books shipped in costs/prices/: tests/test_prices.py validates
    each of them against the schema, and importing jsonschema costs a second or more at run time
    (its format checkers pull in optional grammars), which every `cost` and `backtest` would pay.
    The cross-references the schema cannot express are checked either way.
    """
    if validate:
        import jsonschema

        error = jsonschema.exceptions.best_match(_schema_validator().iter_errors(data))
        if error is not None:
            at = ".".join(str(part) for part in error.absolute_path) or "(top level)"
            raise SigninLabError(f"{where}: {at}: {error.message}", field="prices")
    items = {k: _price(k, v) for k, v in data["items"].items()}
    pools: dict[str, Pool] = {}
    for name, raw in data["pools"].items():
        pools[name] = Pool(
            name=name,
            size=float(raw["size"]),
            order=tuple(raw["order"]),
            source=str(raw["source"]),
            decision=str(raw.get("decision", "")),
        )
        for key in pools[name].order:  # a cross-reference JSON Schema cannot express
            if key not in items:
                raise SigninLabError(f"{where}: pools.{name}.order: unknown item {key!r}", field="prices")
    plans = {
        name: PlanTerms(
            name=name,
            description=str(raw["description"]),
            credits_usd=float(raw.get("credits_usd", 0)),
            max_earned_credits_usd=float(raw.get("max_earned_credits_usd", 0)),
            plan_months=raw.get("plan_months"),
            credit_months=raw.get("credit_months"),
            twelve_month_offers_months=int(raw.get("twelve_month_offers_months", 0)),
            source=str(raw["source"]),
            read=str(raw["read"]),
        )
        for name, raw in data["plans"].items()
        if name in PLANS
    }
    return PriceBook(
        region=str(data["region"]),
        currency=str(data["currency"]),
        items=types.MappingProxyType(items),
        sms=types.MappingProxyType({k.upper(): _price(k.upper(), v) for k, v in data["sms"].items()}),
        eventbridge=types.MappingProxyType({k: _price(k, v) for k, v in data.get("eventbridge", {}).items()}),
        pools=types.MappingProxyType(pools),
        plans=types.MappingProxyType(plans),
        path=where,
    )
