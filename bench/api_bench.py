"""Foundation API: commune search and legacy address conversion, in process.

Requests go through the whole Django stack (middleware, /graphql/ view,
validation, execution, JSON) with the test client, one at a time.
"""

from __future__ import annotations

import itertools
import json

from django.test import Client

from backend.regions.loader import load_regions
from bench.timing import measure, report

COMMUNES = """query($search: String, $first: Int) {
  communes(province: "lam-dong", search: $search, first: $first) {
    totalCount edges { node { id code name kind province { name } } }
  }
}"""
CONVERT = """query($w: String!, $d: String!, $p: String!) {
  legacyAddressConvert(ward: $w, district: $d, province: $p) { commune { name } candidates { name } errors { code } }
}"""

ADDRESSES = [
    ("P. 7", "TP Đà Lạt", "Lâm Đồng"),
    ("tt lien nghia", "h duc trong", "lam dong"),
    ("Xã Tân Hà", "Huyện Hàm Tân", "Tỉnh Bình Thuận"),
    ("Xã Đắk Som", "Huyện Đăk Glong", "Tỉnh Đắk Nông"),
    ("Phường Hàm Tiến", "Thành phố Phan Thiết", "Bình Thuận"),
]


def run() -> None:
    load_regions()
    client = Client()

    def post(query: str, variables: dict[str, object]) -> None:
        response = client.post("/graphql/", json.dumps({"query": query, "variables": variables}), "application/json")
        assert response.status_code == 200, response.content

    print("foundation API (in-process, Django test client, sequential)")
    report("communes(first: 50) full list", measure(lambda: post(COMMUNES, {"first": 50}), repeat=300))
    report('communes(search: "xuan huong")', measure(lambda: post(COMMUNES, {"search": "xuan huong"}), repeat=300))
    cycle = itertools.cycle(ADDRESSES)

    def convert() -> None:
        ward, district, province = next(cycle)
        post(CONVERT, {"w": ward, "d": district, "p": province})

    report("legacyAddressConvert (mixed spellings)", measure(convert, repeat=500))
