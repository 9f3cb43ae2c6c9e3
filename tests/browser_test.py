#!/usr/bin/env python3
"""The operator page in a real browser (Debian's chromium + chromedriver,
driven by python3-selenium).

  browser_test.py TECHMATCH_BINARY EXAMPLES_DATA_DIR [--screenshot OUT.png]

Indexes the sample data, starts `techmatch serve` on a free loopback port,
opens /?q=钒电池电解液低成本制备 and checks that the first result, its
reasons, the confidence and the Chinese text are shown; types another
demand and submits it; downloads the CSV and reads it back; opens the
follow-up page. With --screenshot it saves the page of the first query
(docs/screenshot.png is made this way: scripts/screenshot.sh).

Exits 77 (skipped) with a message when selenium, chromium or chromedriver
is missing or the browser cannot start.
"""
import csv
import os
import shutil
import sys
import tempfile
import time

SKIP = 77
SYSTEM_PYTHON = '/usr/bin/python3'  # where Debian's python3-selenium lives

try:
    from selenium import webdriver
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            TimeoutException, WebDriverException)
    from selenium.webdriver.chrome.service import Service as DriverService
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    if os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON) and \
            os.path.exists(SYSTEM_PYTHON):
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, *sys.argv])  # another python3 came first
    print('browser test skipped: python3-selenium is not installed (scripts/bootstrap.sh '
          'installs it)')
    sys.exit(SKIP)

from script_check import Tally
from servelib import Server, index_examples

binary, examples = sys.argv[1], sys.argv[2]
screenshot = sys.argv[sys.argv.index('--screenshot') + 1] if '--screenshot' in sys.argv else None
QUERY = '钒电池电解液低成本制备'
FITS_QUERY = {'S0008', 'S0227', 'S0249'}          # examples/data/README.md: D001
SECOND = '工业无人机机身减重，需要低成本复合材料成型工艺'
FITS_SECOND = {'S0034', 'S0163', 'S0203', 'S0005'}  # D003

chromium = shutil.which('chromium') or shutil.which('chromium-browser')
driver_path = shutil.which('chromedriver')
if not chromium or not driver_path:
    print('browser test skipped: chromium or chromedriver not found (scripts/bootstrap.sh '
          'installs chromium and chromium-driver)')
    sys.exit(SKIP)

tally = Tally()
check = tally.check
tmp = tempfile.mkdtemp(prefix='techmatch-browser-')
downloads = os.path.join(tmp, 'downloads')
os.makedirs(downloads)


def start_browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    # As root and without a network: no sandbox, no GPU, nothing fetched.
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
              '--no-first-run', '--disable-background-networking',
              '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
              '--lang=zh-CN', '--window-size=1200,1500',
              '--user-data-dir=' + os.path.join(tmp, 'profile')):
        opts.add_argument(a)
    opts.add_experimental_option('prefs', {'download.default_directory': downloads,
                                           'download.prompt_for_download': False})
    return webdriver.Chrome(service=DriverService(driver_path), options=opts)


def wait_for(driver, what, timeout=30):
    try:
        # The page re-renders its list when results arrive: an element found
        # a moment ago may be gone when read (slow builds, e.g. ASan). Try
        # again until the timeout instead of failing on it.
        return WebDriverWait(driver, timeout,
                             ignored_exceptions=(StaleElementReferenceException,)
                             ).until(lambda d: what(d))
    except TimeoutException:
        return None


def cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, '#results li.card')


snap = os.path.join(tmp, 'snap')
index_examples(binary, examples, snap)
server = Server(binary, snap)
if server.port is None:
    server.stop()
    print('serve failed:', server.err)
    sys.exit(1)
base = f'http://127.0.0.1:{server.port}'

try:
    driver = start_browser()
except WebDriverException as e:
    server.stop()
    print(f'browser test skipped: the browser cannot start here: {str(e)[:500]}')
    sys.exit(SKIP)

try:
    driver.get(base + '/?q=' + QUERY)
    first = wait_for(driver, lambda d: cards(d)[0] if cards(d) else None)
    check('/?q=: results shown on load', first is not None, driver.page_source[:500])
    if first is None:
        raise SystemExit(tally.summary())
    check('/?q=: the query is in the text box',
          driver.find_element(By.ID, 'q').get_attribute('value') == QUERY)
    check('/?q=: the first result is a hand-labelled fit',
          first.get_attribute('data-id') in FITS_QUERY, first.get_attribute('data-id'))
    title = first.find_element(By.CSS_SELECTOR, '.title').text
    check('first result: its Chinese title is displayed', '钒' in title and '电解液' in title,
          title)
    reasons = [e.text for e in first.find_elements(By.CSS_SELECTOR, '.reason')]
    check('first result: its reason is displayed in plain words',
          any(t.startswith('共同关键词') for t in reasons), reasons)
    marks = [e.text for e in driver.find_elements(By.CSS_SELECTOR, '#results mark')]
    check('highlights are whole words', marks and all(len(m) >= 2 for m in marks), marks[:20])
    meta = first.find_element(By.CSS_SELECTOR, '.meta').text
    check('first result: organization, region, TRL and price', all(
        x in meta for x in ('四川省', 'TRL', '报价')), meta)
    summary = driver.find_element(By.ID, 'summary').text
    check('confidence and the follow-up flag are shown',
          '置信度' in summary and ('需人工跟进' in summary or '匹配充分' in summary), summary)
    # Chinese glyphs really render: a CJK font covers them (not tofu boxes).
    width = driver.execute_script(
        "const c = document.createElement('canvas').getContext('2d');"
        "c.font = '20px sans-serif';"
        "return [c.measureText('钒电池').width, c.measureText('\\u{E000}\\u{E001}\\u{E002}').width];")
    check('a CJK font renders the Chinese text', width[0] > 40 and width[0] != width[1], width)
    if screenshot:
        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        driver.set_window_size(1200, 1500)
        time.sleep(0.3)
        check('screenshot saved', driver.save_screenshot(screenshot), screenshot)

    # Another demand, typed and submitted.
    box = driver.find_element(By.ID, 'q')
    box.clear()
    box.send_keys(SECOND)
    driver.find_element(By.ID, 'submit').click()
    new_first = wait_for(driver, lambda d: cards(d)[0] if cards(d) and
                         cards(d)[0].get_attribute('data-id') not in FITS_QUERY else None)
    check('a typed demand: new results', new_first is not None)
    if new_first is not None:
        check('a typed demand: the first result fits it',
              new_first.get_attribute('data-id') in FITS_SECOND,
              new_first.get_attribute('data-id'))
    check('a typed demand: the address links to it', '/?q=' in driver.current_url)

    # CSV download of the list shown.
    driver.find_element(By.ID, 'csv').click()
    path = os.path.join(downloads, 'techmatch-results.csv')
    got = wait_for(driver, lambda d: os.path.exists(path) and os.path.getsize(path) > 0 and
                   not any(f.endswith('.crdownload') for f in os.listdir(downloads)), 20)
    check('CSV downloaded', bool(got), os.listdir(downloads))
    if got:
        with open(path, encoding='utf-8-sig', newline='') as f:
            rows = list(csv.DictReader(f))
        shown = [c.get_attribute('data-id') for c in cards(driver)]
        check('CSV: one row per result shown, in order', [r['id'] for r in rows] == shown,
              ([r['id'] for r in rows], shown))
        check('CSV: Chinese text, query, confidence and reasons',
              rows and rows[0]['query'] == SECOND and '共同关键词' in rows[0]['reasons'] and
              float(rows[0]['confidence']) > 0, rows[:1])

    # Filters from the form reach the API.
    driver.find_element(By.ID, 'region').send_keys('重庆')
    driver.find_element(By.ID, 'submit').click()
    only = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#results .region') and
                    all('重庆' in e.text for e in
                        d.find_elements(By.CSS_SELECTOR, '#results .region')))
    check('region filter from the form', bool(only))

    # The follow-up page.
    driver.get(base + '/follow-up')
    status = wait_for(driver, lambda d: d.find_element(By.ID, 'follow-status').text
                      if '需跟进' in d.find_element(By.ID, 'follow-status').text else None)
    check('follow-up page lists the flagged demands', status is not None and '15 条需求' in status,
          status)
finally:
    driver.quit()
    server.stop()
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(tally.summary())
