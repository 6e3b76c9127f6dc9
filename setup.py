import re
from pathlib import Path

from setuptools import find_packages, setup

# Read the version without importing the package (it needs Frappe, which pip's build does not have).
version = re.search(
	r'__version__ = "(.+?)"', (Path(__file__).parent / "support_policy/__init__.py").read_text()
)[1]

setup(
	name="support_policy",
	version=version,
	description="Enforces a hosting provider's ERPNext support policy: plans, contracts, SLA in business hours, scope rules.",
	author="support_policy contributors",
	license="MIT",
	packages=find_packages(exclude=["tests", "tests.*", "benchmarks"]),
	zip_safe=False,
	include_package_data=True,
	python_requires=">=3.10",
	# Frappe and ERPNext come from the bench; these are our own dependencies.
	install_requires=["holidays>=0.40", "numpy>=1.26", "requests>=2.31", "regex>=2023.0"],
	extras_require={"test": ["pytest>=7", "hypothesis>=6"]},
)
