"""signin-lab: AWS console sign-in alerts (IAM, CloudTrail, CloudWatch, SNS), rebuilt offline on moto.

Importing the package is light: boto3, moto, pandas and matplotlib are imported where used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from signin_lab.errors import SigninLabError

if TYPE_CHECKING:  # pragma: no cover
    from signin_lab.compare import compare_designs
    from signin_lab.config import LabConfig
    from signin_lab.doctor import doctor
    from signin_lab.lab import Lab

__all__ = ["Lab", "LabConfig", "SigninLabError", "__version__", "backtest", "compare_designs", "doctor"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Load Lab, LabConfig, backtest, compare_designs and doctor on first use, so `import
    signin_lab` stays light (PEP 562)."""
    if name == "Lab":
        from signin_lab.lab import Lab

        return Lab
    if name == "LabConfig":
        from signin_lab.config import LabConfig

        return LabConfig
    if name == "doctor":
        from signin_lab.doctor import doctor

        return doctor
    if name == "compare_designs":
        from signin_lab.compare import compare_designs

        return compare_designs
    if name == "backtest":
        # The package signin_lab.backtest, which is callable: signin_lab.backtest(source, ...)
        # (importing a subpackage sets this attribute to the module, so the module is the API).
        import importlib

        return importlib.import_module("signin_lab.backtest")
    raise AttributeError(f"module 'signin_lab' has no attribute {name!r}")
