"""The web pages in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
driven by Selenium, against `gestae serve` on the bundled example articles.

Run with `make test-browser` (installs the two packages when missing); `.ci/run` runs it after
`make test`. Screenshots of every page go to tests_browser/screenshots/ (not committed).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000"]

PASTED = """The Korea Herald

Envoys meet as border talks resume

By A. Writer

Published : Mar. 4, 2024 - 10:15

South Korea and Japan agreed on Monday to resume talks on their maritime border, the Foreign Ministry said.

A note left on the ministry's website read <script>alert(1)</script> and <img src=x onerror="window.__pwned=1"> before it was removed.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`gestae serve` over a database made by ingesting examples/."""
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.fail("chromium and chromium-driver are not installed: run `make browser-deps` (as root)")
    db = tmp_path_factory.mktemp("browser") / "examples.duckdb"
    ingest = subprocess.run([sys.executable, "-m", "gestae", "ingest", str(ROOT / "examples"), "--db", str(db),
                             "--quiet"], capture_output=True, text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gestae", "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while True:
        try:
            get_json(root + "/api/health")
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                pytest.fail(f"server did not start: {process.stderr.read()}")
            time.sleep(0.3)
    yield root
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shoot(driver, name: str) -> None:
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def console_errors(driver) -> list[str]:
    """Errors the page logged (a blocked script or style would show up here as a CSP violation)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_home_page(server, browser):
    browser.get(server + "/")
    cards = browser.find_elements(By.CSS_SELECTOR, "#counts .card")
    assert cards and cards[0].text.startswith(str(get_json(server + "/api/summary")["counts"]["articles"]))
    assert browser.find_elements(By.CSS_SELECTOR, "#top-dyads a")
    shoot(browser, "home")
    assert console_errors(browser) == []


def test_article_page_highlights_and_selecting_an_event(server, browser):
    listing = get_json(server + "/api/articles?limit=50")["items"]
    chosen = max(listing, key=lambda a: a["num_events"])
    article = get_json(server + f"/api/articles/{chosen['id']}")
    browser.get(server + f"/articles/{article['id']}")
    text = browser.find_element(By.ID, "article-text")
    assert text.text.replace("\n", "") == article["text"].replace("\n", "")
    # every kind of span the article JSON has offsets for is highlighted
    assert len(text.find_elements(By.CSS_SELECTOR, ".hl.actor")) >= sum(1 for a in article["actors"] if a["mentions"])
    for event in article["events"]:
        assert text.find_elements(By.CSS_SELECTOR, f'[data-trigger~="{event["id"]}"]'), event["id"]
    if any(p["mentions"] for p in article["places"]):
        assert text.find_elements(By.CSS_SELECTOR, ".hl.place")
    if article["quotes"]:
        assert text.find_elements(By.CSS_SELECTOR, ".hl.quote")
    assert browser.find_elements(By.CSS_SELECTOR, "#legend [data-legend]")
    shoot(browser, "article")

    event = next(e for e in article["events"] if e["actors"] or e["recipients"])
    row = browser.find_element(By.ID, f"event-{event['id']}")
    row.click()
    WebDriverWait(browser, 10).until(lambda d: "selected" in row.get_attribute("class"))
    lit = text.find_elements(By.CSS_SELECTOR, ".is-trigger")
    start, end = event["trigger_span"]
    assert "".join(el.text for el in lit).split() == article["text"][start:end].split()
    assert all(event["id"] in el.get_attribute("data-trigger").split() for el in lit)
    parties = set(event["actors"]) | set(event["recipients"])
    lit_parties = {el.get_attribute("data-actor") for el in text.find_elements(By.CSS_SELECTOR, ".is-party")}
    mentioned = {a["id"] for a in article["actors"] if a["id"] in parties and a["mentions"]}
    assert mentioned and {p for ids in lit_parties for p in ids.split()} >= mentioned
    others = [e for e in article["events"] if e["id"] != event["id"]]
    if others:  # another event's trigger is not lit
        other = text.find_elements(By.CSS_SELECTOR, f'[data-trigger="{others[0]["id"]}"]')
        assert other and "is-trigger" not in other[0].get_attribute("class")
    shoot(browser, "article-event-selected")
    assert console_errors(browser) == []


def test_dyad_chart_has_one_point_per_value(server, browser):
    top = get_json(server + "/api/dyads")["items"][0]
    data = get_json(server + f"/api/dyads/{top['a']}/{top['b']}?interval=week")
    browser.get(server + f"/dyads/{top['a']}/{top['b']}?interval=week")
    chart = WebDriverWait(browser, 30).until(ready.presence_of_element_located(
        (By.CSS_SELECTOR, '#dyad-chart[data-rendered="true"]')))
    bars = chart.find_elements(By.CSS_SELECTOR, ".barlayer .point")
    markers = chart.find_elements(By.CSS_SELECTOR, ".scatterlayer .points .point")
    assert len(bars) == len(data["series"]) and len(markers) == len(data["periods"])
    assert len(bars) + len(markers) == int(chart.get_attribute("data-points"))
    shoot(browser, "dyad")
    assert console_errors(browser) == []


def test_pasted_script_is_shown_as_text_and_never_runs(server, browser):
    before = get_json(server + "/api/summary")["counts"]["articles"]
    browser.get(server + "/paste")
    box = browser.find_element(By.ID, "paste-text")
    browser.execute_script("arguments[0].value = arguments[1];", box, PASTED)
    shoot(browser, "paste")
    browser.find_element(By.ID, "paste-submit").click()
    text = WebDriverWait(browser, 120).until(ready.presence_of_element_located((By.ID, "article-text")))
    assert "<script>alert(1)</script>" in text.text
    assert '<img src=x onerror="window.__pwned=1">' in text.text
    try:
        alert = browser.switch_to.alert
        pytest.fail(f"a script ran: alert {alert.text!r}")
    except NoAlertPresentException:
        pass
    assert browser.execute_script("return window.__pwned === undefined")
    assert not text.find_elements(By.TAG_NAME, "script") and not text.find_elements(By.TAG_NAME, "img")
    assert "Not stored" in browser.find_element(By.ID, "notice").text
    assert get_json(server + "/api/summary")["counts"]["articles"] == before
    shoot(browser, "paste-result")
    assert console_errors(browser) == []


def test_events_page_and_api_docs_work_offline(server, browser):
    browser.get(server + "/events?quad_class=verbal_conflict")
    total = int(browser.find_element(By.ID, "event-total").text)
    assert total == get_json(server + "/api/events?quad_class=verbal_conflict")["total"]
    shoot(browser, "events")
    browser.get(server + "/docs")
    WebDriverWait(browser, 30).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".opblock")) >= 8
    shoot(browser, "docs")
    assert console_errors(browser) == []
