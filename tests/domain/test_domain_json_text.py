"""The JSON text both sides store and send: compact, characters as they are, never a token that is not JSON."""
import json
import math

import pytest

from fx_desktop.domain import json_text


def test_compact_utf8_text_that_reads_back_the_same():
    value = {"party_name": "欧阳振华", "officers": [["王磊", "31200001"]], "note": "引号\"与换行\n", "n": 1.5}
    encoded = json_text.encode(value)
    assert encoded == '{"party_name":"欧阳振华","officers":[["王磊","31200001"]],"note":"引号\\"与换行\\n","n":1.5}'
    assert json.loads(encoded) == value
    assert len(encoded.encode("utf-8")) < len(json.dumps(value).encode("utf-8"))  # as stored before: \u escapes


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(bad):
    with pytest.raises(ValueError):
        json_text.encode({"amount": bad})
