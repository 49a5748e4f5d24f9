"""An annotator's hands in Label Studio's labeling view: headless Chromium, driven the way a
person works, with a picture of every step.

``LabelingBrowser`` logs in, opens a task and then edits its annotation through the page: it
clicks a region's characters to select it, presses a label's hotkey to relabel it, drags the
region's end handle to move its boundary, presses Backspace to delete it, presses a hotkey and
drags the mouse over Arabic characters to add a region, uses "Create Relation" and the relation's
label menu, ticks a per-region choice and clicks Submit. Mouse positions are computed from the
rendered characters (a DOM Range over the text), so a right-to-left drag selects exactly the
code points asked for. What the page holds is read back from the labeling app's own store
(``window.Htx``), never written through it, except for ``show_layers`` (below).

``show_layers`` works the Regions panel as a person does: grouping "By Label", then the eye
beside each label group, which hides its regions and the relation arrows that touch them, so a
screenshot shows one layer at a time.

``screenshot`` saves a numbered PNG into the report folder; ``write_gallery`` writes an
``index.html`` showing them in order with their captions.

Not handled here: finding tasks or checking results (the caller has the SDK client), other
browsers, the Data Manager's table.
"""

from __future__ import annotations

import html
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from annotation.errors import NisbaError
from annotation.labelstudio.ui_check import _driver, _wait, browser_available

# The current annotation's regions and relations, as the labeling app holds them.
JS_STATE = """
const ann = window.Htx && window.Htx.annotationStore && window.Htx.annotationStore.selected;
if (!ann) return null;
const layerOf = r => { const x = r.results.find(x => x.type === 'labels'); return x ? x.from_name.name : null; };
const regions = ann.regionStore.regions.map(r => ({
  id: r.id.split('#')[0], layer: layerOf(r), label: r.labelName, start: r.startOffset, end: r.endOffset,
  text: r.text, hidden: !!r.hidden, selected: !!r.selected,
  choices: Object.fromEntries(r.results.filter(x => x.type === 'choices').map(x => [x.from_name.name, x.mainValue])),
}));
const relations = ann.relationStore.relations.map(x => ({
  from: x.node1.id.split('#')[0], to: x.node2.id.split('#')[0], labels: x.labels ? Array.from(x.labels) : [],
}));
return {annotation: ann.pk || null, regions, relations};
"""

# Walk the Text tag's text nodes in order, counting code points (Label Studio's offsets), and
# return the viewport rectangle of code point `at` (scrolled into view first).
JS_CHAR_RECT = """
const at = arguments[0];
const root = document.querySelector('.lsf-richtext');
if (!root) return null;
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
let pos = 0, n;
while ((n = walker.nextNode())) {
  const units = n.data; let cp = 0;
  for (let i = 0; i < units.length; ) {
    const w = units.codePointAt(i) > 0xffff ? 2 : 1;
    if (pos + cp === at) {
      if (arguments[1]) n.parentElement.scrollIntoView({block: 'center'});
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w);
      const b = r.getClientRects()[0];
      return {left: b.left, right: b.right, top: b.top, height: b.height, ch: r.toString()};
    }
    i += w; cp++;
  }
  pos += cp;
}
return null;
"""

# The selected region's handle (the end one, or the start one); Chromium's own style sheet hides
# <area> elements, Label Studio's handle, so it is made visible the way Label Studio draws it.
JS_HANDLE = """
if (!document.getElementById('nisba-handles')) {
  const s = document.createElement('style'); s.id = 'nisba-handles';
  s.textContent = '.lsf-richtext .htx-highlight.__active area { display: inline-block; }';
  document.head.appendChild(s);
}
const spans = Array.from(document.querySelectorAll('.htx-highlight.__active'));
if (!spans.length) return null;
return arguments[0] === 'end' ? spans[spans.length - 1].querySelector('area.__resize_right')
                              : spans[0].querySelector('area.__resize_left');
"""


# The first label group of the Regions panel (grouped by label) on screen and not yet in
# arguments[0]: its label, its row, its eye button, its collapse switcher and whether it is open.
JS_NEXT_LABEL_GROUP = """
const seen = new Set(arguments[0]);
for (const node of document.querySelectorAll('.lsf-outliner .lsf-tree__node_type_label')) {
  const label = (node.textContent || '').trim();
  if (seen.has(label) || node.closest('[aria-hidden=true], [class*=motion]')) continue;
  const box = node.getBoundingClientRect();
  if (box.height === 0 || getComputedStyle(node).visibility !== 'visible') continue;
  return {label, node, eye: node.querySelector("button[aria-label='Region control']"),
          switcher: node.querySelector('.lsf-tree-switcher'),
          open: node.className.includes('switcher-open')};
}
return null;
"""

JS_INSTRUCTIONS = """
const needle = arguments[0];
const els = Array.from(document.querySelectorAll('.lsf-modal-ls_visible, .ant-modal, [role=dialog]'));
const el = els.find(e => (e.textContent || '').includes(needle) && e.getBoundingClientRect().height > 0);
return el ? el.textContent : null;
"""


@dataclass
class Shot:
    path: Path
    caption: str


@dataclass
class Gallery:
    """Numbered screenshots in a folder and the HTML page that shows them in order."""

    folder: Path
    title: str = "nisba: what annotators see"
    shots: list[Shot] = field(default_factory=list)

    def next_path(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{len(self.shots) + 1:02d}-{name}.png"

    def write(self) -> Path:
        items = "\n".join(
            f'<figure><figcaption>{i}. {html.escape(s.caption)}</figcaption>'
            f'<img src="{html.escape(s.path.name)}" alt="{html.escape(s.caption)}"></figure>'
            for i, s in enumerate(self.shots, 1))
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(self.title)}</title>"
                "<style>body{font-family:sans-serif;margin:2em;max-width:1500px}figure{margin:0 0 2.5em}"
                "img{max-width:100%;border:1px solid #ccc}figcaption{font-weight:bold;margin-bottom:.4em}</style>"
                f"</head><body><h1>{html.escape(self.title)}</h1>\n{items}\n</body></html>\n")
        self.folder.mkdir(parents=True, exist_ok=True)
        index = self.folder / "index.html"
        index.write_text(page, encoding="utf-8")
        return index


class LabelingBrowser:
    """A logged-in headless Chromium on one Label Studio. Use as a context manager."""

    def __init__(self, url: str, username: str, password: str, *, timeout: float = 90.0,
                 window: tuple[int, int] = (1600, 1300)):
        reason = browser_available()
        if reason:
            raise NisbaError(reason)
        self.base = url.rstrip("/")
        self.username, self.password = username, password
        self.timeout = timeout
        self.window = window
        self._profile = None
        self.driver = None

    # -- session -------------------------------------------------------------------------------
    def __enter__(self) -> "LabelingBrowser":
        self._profile = tempfile.TemporaryDirectory(prefix="nisba-chromium-")
        self.driver = _driver(self._profile.name)
        self.driver.set_window_size(*self.window)
        self.login()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.driver is not None:
                self.driver.quit()
        finally:
            if self._profile is not None:
                self._profile.cleanup()

    def login(self) -> None:
        from selenium.webdriver.common.by import By

        d = self.driver
        d.get(f"{self.base}/user/login/")
        email = _wait(d, self.timeout, lambda d: d.find_element(By.NAME, "email"), f"the login form at {self.base}")
        email.send_keys(self.username)
        d.find_element(By.NAME, "password").send_keys(self.password)
        d.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
        _wait(d, self.timeout, lambda d: "/user/login" not in d.current_url, "the login to finish (wrong password?)")

    def open_task(self, project_id: int, task_id: int, *, min_regions: int = 0) -> dict:
        """Open the task in the labeling view; wait until its text (and ``min_regions`` regions)
        are drawn. Returns the state (see ``state``)."""
        self.driver.get(f"{self.base}/projects/{project_id}/data?task={task_id}")

        def ready(d):
            state = d.execute_script(JS_STATE)
            if state is None or d.execute_script(JS_CHAR_RECT, 0, False) is None:
                return None
            return state if len(state["regions"]) >= min_regions else None

        state = _wait(self.driver, self.timeout, ready, f"task {task_id} with {min_regions}+ regions in the labeling view")
        time.sleep(1.0)   # relation arrows are laid out after the regions
        return state

    def state(self) -> dict:
        """``{"annotation", "regions": [{id, layer, label, start, end, text, hidden, selected,
        choices}], "relations": [{from, to, labels}]}`` of the annotation on screen."""
        return self.driver.execute_script(JS_STATE)

    # -- pictures ------------------------------------------------------------------------------
    def screenshot(self, gallery: Gallery, name: str, caption: str) -> Path:
        path = gallery.next_path(name)
        time.sleep(0.4)
        self.driver.save_screenshot(str(path))
        gallery.shots.append(Shot(path, caption))
        return path

    def start_labeling(self, project_id: int, marker: str) -> str:
        """Click the project's "Label All Tasks" (the labeling stream) and return the text of
        the instructions Label Studio shows by itself before the first task (waits for one
        holding ``marker``)."""
        self.driver.get(f"{self.base}/projects/{project_id}/data?labeling=1")
        return _wait(self.driver, self.timeout, lambda d: d.execute_script(JS_INSTRUCTIONS, marker),
                     f"the instructions holding {marker!r} shown before labelling")

    def instructions(self, marker: str) -> str:
        """The instructions the "Instructions" button of the labeling view opens."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.XPATH, "//button[normalize-space(.)='Instructions']").click()
        return _wait(self.driver, self.timeout, lambda d: d.execute_script(JS_INSTRUCTIONS, marker),
                     f"instructions holding {marker!r}")

    def close_dialog(self) -> None:
        from selenium.webdriver.common.by import By

        for button in self.driver.find_elements(By.CSS_SELECTOR, "button[aria-label='Close modal']"):
            if button.is_displayed():
                button.click()
        time.sleep(0.5)

    # -- pointer and keys ----------------------------------------------------------------------
    def char_rect(self, at: int) -> dict:
        self.driver.execute_script(JS_CHAR_RECT, at, True)
        time.sleep(0.3)
        rect = self.driver.execute_script(JS_CHAR_RECT, at, False)
        if rect is None:
            raise NisbaError(f"code point {at} is not in the text on screen")
        return rect

    def _actions(self):
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        return ActionBuilder(self.driver)

    def click_char(self, at: int) -> str:
        """Click the middle of code point ``at``; returns the character clicked."""
        rect = self.char_rect(at)
        ab = self._actions()
        ab.pointer_action.move_to_location(int((rect["left"] + rect["right"]) / 2), int(rect["top"] + rect["height"] / 2))
        ab.pointer_action.click()
        ab.perform()
        time.sleep(0.5)
        return rect["ch"]

    def press(self, keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(keys).perform()
        time.sleep(0.5)

    def unselect(self) -> None:
        from selenium.webdriver.common.keys import Keys

        self.press(Keys.ESCAPE)
        self.driver.execute_script("window.getSelection().removeAllRanges()")

    def drag_select(self, start: int, end: int) -> str:
        """Drag the mouse from code point ``start`` to the last one before ``end``, right to
        left in Arabic text: from the right edge of the first to the left edge of the last (the
        other way round in left-to-right text). Returns the browser's selected text."""
        first, last = self.char_rect(start), self.char_rect(end - 1)
        rtl = first["right"] > last["right"] or (first["top"] < last["top"] and first["right"] >= last["left"])
        y0, y1 = int(first["top"] + first["height"] / 2), int(last["top"] + last["height"] / 2)
        x0 = int(first["right"] - 1) if rtl else int(first["left"] + 1)
        x1 = int(last["left"] + 1) if rtl else int(last["right"] - 1)
        ab = self._actions()
        p = ab.pointer_action
        p.move_to_location(x0, y0)
        p.pointer_down()
        p.move_to_location(int((x0 + x1) / 2), int((y0 + y1) / 2))
        p.move_to_location(x1, y1)
        p.pointer_up()
        ab.perform()
        time.sleep(0.6)
        return self.driver.execute_script("return String(window.getSelection())")

    # -- what an annotator does ----------------------------------------------------------------
    def select_region(self, region: dict, at: int | None = None) -> dict:
        """Click one of the region's characters (``at``, default: the middle one) and check
        that this region, not an overlapping one, is the selected one."""
        at = (region["start"] + region["end"]) // 2 if at is None else at
        self.click_char(at)
        selected = [r for r in self.state()["regions"] if r["selected"]]
        if [r["id"] for r in selected] != [region["id"]]:
            raise NisbaError(f"clicking code point {at} selected {selected}, not region {region['id']}")
        return selected[0]

    def relabel(self, region: dict, hotkey: str) -> None:
        """Select the region and press another label's hotkey."""
        self.select_region(region)
        self.press(hotkey)
        self.unselect()

    def move_end(self, region: dict, new_end: int) -> None:
        """Select the region and drag its end handle to just after code point ``new_end - 1``
        (the boundary between it and ``new_end``)."""
        self.select_region(region)
        handle = self.driver.execute_script(JS_HANDLE, "end")
        if handle is None:
            raise NisbaError(f"region {region['id']} shows no resize handle")
        last = self.char_rect(new_end - 1)
        handle = self.driver.execute_script(JS_HANDLE, "end")
        here = self.driver.execute_script("const b = arguments[0].getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2];", handle)
        rtl = self.driver.execute_script("return getComputedStyle(document.querySelector('.htx-highlight')).direction") == "rtl"
        x1 = int(last["left"] + 1) if rtl else int(last["right"] - 1)
        y1 = int(last["top"] + last["height"] / 2)
        ab = self._actions()
        p = ab.pointer_action
        p.move_to_location(int(here[0]), int(here[1]))
        p.pointer_down()
        p.move_to_location(int((here[0] + x1) / 2), y1)
        p.move_to_location(x1, y1)
        p.pointer_up()
        ab.perform()
        time.sleep(0.6)
        self.unselect()

    def delete(self, region: dict) -> None:
        """Select the region and press Backspace."""
        from selenium.webdriver.common.keys import Keys

        self.select_region(region)
        self.press(Keys.BACKSPACE)

    def add_region(self, start: int, end: int, hotkey: str) -> dict:
        """Press the label's hotkey, then drag over the characters ``[start, end)``; returns
        the region Label Studio made of the selection."""
        self.unselect()
        before = {r["id"] for r in self.state()["regions"]}
        self.press(hotkey)
        self.drag_select(start, end)
        new = [r for r in self.state()["regions"] if r["id"] not in before]
        if len(new) != 1:
            raise NisbaError(f"selecting code points {start}-{end} after hotkey {hotkey!r} made {new}")
        return new[0]

    def relate(self, source: dict, target: dict, label: str, *, source_at: int | None = None,
               target_at: int | None = None) -> None:
        """Select ``source``, click "Create Relation", click ``target``, then pick ``label`` in
        the new relation's label menu (Relations tab)."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        d = self.driver
        self.select_region(source, source_at)
        d.find_element(By.CSS_SELECTOR, "button[aria-label='Create Relation']").click()
        time.sleep(0.4)
        self.click_char((target["start"] + target["end"]) // 2 if target_at is None else target_at)
        d.find_element(By.XPATH, "//*[normalize-space(text())='Relations']").click()
        time.sleep(0.6)
        item = d.find_elements(By.CSS_SELECTOR, ".lsf-relations__item")[-1]
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
        ActionChains(d).move_to_element(item).perform()
        time.sleep(0.4)
        item.find_element(By.CSS_SELECTOR, "button[aria-label='Show Relation Labels']").click()
        time.sleep(0.5)
        trigger = d.find_elements(By.CSS_SELECTOR, ".lsf-relation-meta [class*=selectTrigger]")[-1]
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", trigger)
        trigger.click()
        time.sleep(0.5)
        d.find_element(By.XPATH, f"//div[contains(@class,'truncate') and normalize-space(text())='{label}']").click()
        time.sleep(0.4)
        self.unselect()
        d.find_element(By.XPATH, "//*[normalize-space(text())='Regions']").click()
        time.sleep(0.4)

    def choose(self, region: dict, value: str, at: int | None = None) -> None:
        """Select the region and tick ``value`` among its per-region choices."""
        from selenium.webdriver.common.by import By

        self.select_region(region, at)
        box = self.driver.find_element(By.XPATH, f"//label[contains(@class,'lsf-choice')][.//span[normalize-space(text())='{value}']]")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        time.sleep(0.3)
        box.click()
        time.sleep(0.5)
        self.unselect()

    def group_regions_by_label(self) -> None:
        """Regions panel: switch the grouping to "Group by Label" (Label Studio remembers it)."""
        from selenium.webdriver.common.by import By

        d = self.driver
        d.find_element(By.XPATH, "//*[normalize-space(text())='Regions']").click()
        time.sleep(0.4)
        grouping = d.find_element(By.CSS_SELECTOR, "[data-testid^=grouping]")
        if grouping.get_attribute("data-testid") != "grouping-label":
            grouping.click()
            time.sleep(0.4)
            d.find_element(By.XPATH, "//*[normalize-space(text())='Group by Label']").click()
            time.sleep(0.6)

    def show_layers(self, layers: list[str]) -> int:
        """Show the regions of ``layers`` and hide the others with the eyes of the label groups
        (Regions panel, grouped by label). Each group is collapsed once passed, so the next ones
        come into view; the list is scrolled when none does. Returns how many eyes were clicked."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By

        d = self.driver
        self.group_regions_by_label()
        regions = self.state()["regions"]
        layer_of = {r["label"]: r["layer"] for r in regions}
        hidden = {label: all(r["hidden"] for r in regions if r["label"] == label) for label in layer_of}
        holder = d.find_element(By.CSS_SELECTOR, ".lsf-outliner .lsf-tree-list-holder")
        d.execute_script("arguments[0].scrollTop = 0", holder)
        seen: set[str] = set()
        clicks = 0
        while len(seen) < len(layer_of):
            group = d.execute_script(JS_NEXT_LABEL_GROUP, sorted(seen))
            if group is None:
                top, height, view = d.execute_script(
                    "const h = arguments[0]; return [h.scrollTop, h.scrollHeight, h.clientHeight]", holder)
                if top + view >= height:
                    break
                d.execute_script("arguments[0].scrollTop = arguments[1]", holder, top + view)
                time.sleep(0.2)
                continue
            label = group["label"]
            seen.add(label)
            if label in layer_of and hidden[label] != (layer_of[label] not in layers):
                ActionChains(d).move_to_element(group["node"]).perform()   # the eye shows on hover
                group["eye"].click()
                clicks += 1
            if group["open"]:
                # collapsed to bring the next groups up (a click event: the switcher may sit
                # under the panel's edge while the list is scrolled)
                d.execute_script("arguments[0].click()", group["switcher"])
                time.sleep(0.35)   # the collapse animation
        missing = set(layer_of) - seen
        if missing:
            raise NisbaError(f"the Regions panel shows no label group for {sorted(missing)}")
        d.execute_script("arguments[0].scrollTop = 0", holder)
        time.sleep(0.8)
        return clicks

    def visible_arrows(self) -> int:
        """How many relation arrows are drawn."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('svg.relations-overlay g[class*=relationItem]'))"
            ".filter(g => getComputedStyle(g).visibility === 'visible').length")

    def submit(self) -> None:
        """Click Submit and wait until Label Studio has stored the annotation."""
        from selenium.webdriver.common.by import By

        self.unselect()
        self.driver.find_element(By.XPATH, "//button[normalize-space(.)='Submit']").click()
        _wait(self.driver, self.timeout, lambda d: (d.execute_script(JS_STATE) or {}).get("annotation"),
              "the submitted annotation to be stored")
        time.sleep(1.0)


def to_json(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False, indent=1)
