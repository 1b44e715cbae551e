// The partnership explorer: everything it shows comes from the public /graphql API,
// asked with the caller's own token, so a place leader sees exactly what the API
// gives a place leader (aggregates, never a person). Text from the API is only ever
// set as textContent, never parsed as HTML.
"use strict";

(function () {
  const TOKEN_KEY = "assetbridge.token";
  const $ = (id) => document.getElementById(id);
  // place: the chosen one of the token's places; asOf: the day the network is drawn as it
  // stood (null: today); partners: the organisations tied to the anchor that day.
  const state = { places: [], place: null, anchors: [], anchor: null, occupation: null,
                  vacancy: null, source: null, network: null, cy: null, paths: [], pathway: null,
                  year: null, asOf: null, partners: [], hubPartners: [] };
  window.assetbridgeExplorer = state;

  // -- the token: from the link's #token= once, then out of the address bar; else this
  // tab's storage. A fragment never leaves the browser, so the token reaches the server
  // only as the Authorization header of /graphql. A ?token= (an old link) has already
  // been sent to the server: it is dropped unused, so such links stop working rather
  // than go on putting tokens in addresses, histories and logs.
  let refusedQueryToken = false;

  function takeToken() {
    const url = new URL(window.location.href);
    const fragment = new URLSearchParams(url.hash.replace(/^#/, ""));
    const given = fragment.get("token");
    const inQuery = url.searchParams.has("token");
    if (given || inQuery) {
      if (given) sessionStorage.setItem(TOKEN_KEY, given);
      refusedQueryToken = inQuery && !given;
      fragment.delete("token");
      url.searchParams.delete("token");
      const rest = fragment.toString();
      window.history.replaceState(null, "", url.pathname + url.search + (rest ? "#" + rest : ""));
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  async function gql(query, variables) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/graphql-response+json",
        ...(token ? { "Authorization": "Bearer " + token } : {}),
      },
      body: JSON.stringify({ query, variables: variables || {} }),
    });
    let body;
    try {
      body = await response.json();
    } catch (_) {
      throw new Error("The server answered " + response.status + " without a GraphQL response.");
    }
    if (body.errors && body.errors.length) {
      const first = body.errors[0];
      const code = (first.extensions && first.extensions.code) || "ERROR";
      throw new Error(code + ": " + first.message);
    }
    return body.data;
  }

  function status(text, isError) {
    const line = $("status");
    line.textContent = text;
    line.classList.toggle("error", Boolean(isError));
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function option(select, value, label) {
    const node = el("option", label);
    node.value = value;
    select.appendChild(node);
  }

  const HIDDEN = "hidden";
  const count = (n) => (n === null || n === undefined ? HIDDEN : n.toLocaleString("en-GB"));
  const money = (n) => (n === null || n === undefined ? HIDDEN
    : "£" + Math.round(n).toLocaleString("en-GB"));
  const percent = (n) => (n === null || n === undefined ? "–" : Math.round(n * 100) + "%");

  // -- queries -----------------------------------------------------------------------
  // $d is the day asked about (null: today); $p the place chosen in the picker.
  const PLACES = `{ places { id name } }`;
  const ANCHORS = `query ($p: ID) { anchors(first: 50, sort: NAME, place: $p) { edges { node {
    id name vacancies { id title shortage status occupation { id preferredLabel } } } } } }`;
  // The network of the chosen place only: an anchor of two places, asked by a token of
  // both, would otherwise draw the other place's organisations too.
  const NETWORK = `query ($a: ID!, $d: Date, $p: ID) {
    partnershipNetwork(anchorId: $a, asOf: $d, place: $p) {
    nodes { id kind name role } ties { source target type strength count sinceYear } } }`;
  const PLACE_VIEW = `query ($a: ID!, $d: Date) {
    funnel(anchorId: $a, groupBy: OCCUPATION, asOf: $d) { countsRounded
      stages { stage reached movedOn conversion medianDaysToNext }
      groups { key name stages { stage reached movedOn conversion medianDaysToNext } } }
    impact(anchorId: $a) { placed meanAnnualSalaryGbp earningsGbp publicSavingsGbp totalGbp
      components { key label effect people amountGbp lines { label people unitGbp multiplier } } }
    anchorFootprint(anchorId: $a, asOf: $d) { employees annualSpendGbp landHectares isMacroAsset
      landHoldings { name } communityOrganisations undatedOrganisations
      organisationsByYear { year organisations } } }`;
  const GAPS = `query ($a: ID!, $o: ID, $d: Date) {
    brokerageGaps(anchorId: $a, occupation: $o, asOf: $d) {
    candidates linked unlinked
    unlinkedSupply { organisation { id name } people }
    criticalBrokers { node { id name } pairsCut }
    suggestedLinks { source { id name } target { id name } reconnects reason } } }`;
  const PATHS = `query ($f: ID!, $t: ID!, $d: Date) {
    referralPaths(from: $f, to: $t, k: 3, maxHops: 6, asOf: $d) {
    hops cost explanation nodes { id kind name } relationships { type } } }`;
  // The same shape a caseworker gets for a person, from an organisation: no one is named.
  const PATHWAY = `query ($o: ID!, $v: ID!) { pathway(organisationId: $o, vacancyId: $v, k: 3) {
    needs { kind gaps time { medianDays } } unmet { kind }
    routes { rank hops explanation
      steps { node { id kind name } role why closes services arrivedBy { type } } } } }`;

  // -- choices -------------------------------------------------------------------------
  function anchorById(id) { return state.anchors.find((a) => a.id === id); }

  function occupationsOf(anchor) {
    const seen = new Map();
    for (const v of anchor.vacancies) {
      if (!v.occupation) continue;
      const known = seen.get(v.occupation.id) || { id: v.occupation.id,
        name: v.occupation.preferredLabel, shortage: false };
      known.shortage = known.shortage || v.shortage;
      seen.set(v.occupation.id, known);
    }
    return [...seen.values()].sort((a, b) => (b.shortage - a.shortage) || a.name.localeCompare(b.name));
  }

  function fillOccupations() {
    const select = $("occupation");
    select.replaceChildren();
    const anchor = anchorById(state.anchor);
    const occupations = anchor ? occupationsOf(anchor) : [];
    for (const o of occupations) option(select, o.id, o.name + (o.shortage ? " (shortage)" : ""));
    select.disabled = occupations.length === 0;
    state.occupation = occupations.length ? occupations[0].id : null;
  }

  function fillVacancies() {
    const select = $("vacancy");
    select.replaceChildren();
    const anchor = anchorById(state.anchor);
    const open = (v) => v.status === "OPEN";
    const vacancies = (anchor ? anchor.vacancies : [])
      .filter((v) => v.occupation && v.occupation.id === state.occupation)
      .sort((a, b) => (b.shortage - a.shortage) || (open(b) - open(a)) || a.title.localeCompare(b.title));
    for (const v of vacancies) {
      const notes = [v.shortage ? "shortage" : null, open(v) ? null : v.status.toLowerCase()]
        .filter(Boolean).join(", ");
      option(select, v.id, v.title + (notes ? " (" + notes + ")" : ""));
    }
    select.disabled = vacancies.length === 0;
    state.vacancy = vacancies.length ? vacancies[0].id : null;
  }

  function fillSources() {
    const select = $("source");
    select.replaceChildren();
    const organisations = state.network.nodes.filter((n) => n.kind === "CommunityOrganisation")
      .sort((a, b) => (a.name || "").localeCompare(b.name || ""));
    for (const o of organisations) option(select, o.id, o.name);
    select.disabled = organisations.length === 0;
    // The organisation that refers most people on is where most paths start.
    const referred = new Map();
    for (const t of state.network.ties) {
      if (t.type === "REFERS_TO" && t.source.startsWith("CommunityOrganisation:")) {
        referred.set(t.source, (referred.get(t.source) || 0) + (t.count || 1));
      }
    }
    const busiest = [...referred.entries()].sort((a, b) => b[1] - a[1])[0];
    state.source = busiest ? busiest[0] : (organisations[0] && organisations[0].id) || null;
    if (state.source) select.value = state.source;
  }

  // -- the network ---------------------------------------------------------------------
  // The organisations with a referral or partnership tie to the anchor or one of its
  // departments in the network drawn: the anchor's partners on the day it is drawn as of.
  function partnersOf(network) {
    const organisation = (id) => id.startsWith("CommunityOrganisation:");
    const partners = new Set();
    for (const t of network.ties) {
      if (organisation(t.source) !== organisation(t.target)) {
        partners.add(organisation(t.source) ? t.source : t.target);
      }
    }
    return partners;
  }

  function nodeClass(node, partners) {
    if (node.kind === "AnchorInstitution") return "anchor";
    if (node.kind === "Department") return node.role === "employment_hub" ? "hub" : "department";
    return partners.has(node.id) ? "organisation partner" : "organisation";
  }

  function drawNetwork() {
    const network = state.network;
    const partners = partnersOf(network);
    state.partners = [...partners].sort();
    const level = (n) => (n.kind === "AnchorInstitution" ? 4 : n.kind === "Department" ? 3
      : partners.has(n.id) ? 2 : 1);
    const elements = network.nodes.map((n) => ({
      group: "nodes", classes: nodeClass(n, partners),
      data: { id: n.id, label: n.name || n.id, level: level(n) },
    }));
    network.ties.forEach((t, i) => elements.push({
      group: "edges", classes: t.type.toLowerCase(),
      data: { id: "tie-" + i, source: t.source, target: t.target, type: t.type },
    }));
    if (state.cy) state.cy.destroy();
    state.cy = cytoscape({
      container: $("network"),
      elements,
      style: STYLE,
      layout: { name: "concentric", concentric: (n) => n.data("level"), levelWidth: () => 1,
                minNodeSpacing: 26, animate: false },
    });
    state.cy.on("tap", "node.organisation", (event) => {
      state.source = event.target.id();
      $("source").value = state.source;
      showPaths().catch(fail);
    });
  }

  const STYLE = [
    { selector: "node", style: { "label": "data(label)", "font-size": 8, "color": "#1d2733",
      "text-wrap": "ellipsis", "text-max-width": 90, "text-valign": "bottom", "text-margin-y": 2,
      "width": 14, "height": 14, "background-color": "#8fa3b8" } },
    { selector: "node.partner", style: { "background-color": "#13a8a8" } },
    { selector: "node.anchor", style: { "background-color": "#1f4e79", "width": 34, "height": 34,
      "font-size": 11, "font-weight": "bold", "text-max-width": 160 } },
    { selector: "node.hub", style: { "background-color": "#2e8b57", "width": 26, "height": 26,
      "font-size": 10, "font-weight": "bold", "text-max-width": 140 } },
    { selector: "node.department", style: { "background-color": "#52c41a", "width": 18, "height": 18 } },
    { selector: "node.vacancy", style: { "shape": "round-rectangle", "background-color": "#d4380d",
      "width": 22, "height": 16, "font-size": 9, "font-weight": "bold", "text-max-width": 140 } },
    { selector: "node.unlinked", style: { "border-width": 4, "border-color": "#fa8c16" } },
    { selector: "node.critical", style: { "border-width": 5, "border-color": "#a8071a" } },
    { selector: "node.on-path", style: { "border-width": 4, "border-color": "#d4380d",
      "font-size": 10, "font-weight": "bold", "color": "#a8071a", "z-index": 10 } },
    { selector: "edge", style: { "width": 1, "line-color": "#c2ccd6", "curve-style": "bezier",
      "target-arrow-shape": "triangle", "target-arrow-color": "#c2ccd6", "arrow-scale": 0.6 } },
    { selector: "edge.partners_with", style: { "target-arrow-shape": "none", "line-style": "dotted" } },
    { selector: "edge.part_of", style: { "width": 2, "line-color": "#2e8b57", "target-arrow-color": "#2e8b57" } },
    { selector: "edge.suggested", style: { "line-style": "dashed", "line-color": "#722ed1",
      "target-arrow-color": "#722ed1", "width": 2 } },
    { selector: "edge.path", style: { "width": 4, "line-color": "#d4380d",
      "target-arrow-color": "#d4380d", "z-index": 10 } },
  ];

  function highlight(index) {
    [...$("pathway").children].forEach((li) => li.classList.remove("chosen"));
    [...$("paths").children].forEach((li, i) => li.classList.toggle("chosen", i === index));
    draw(state.paths[index]);
  }

  // A pathway route drawn as a path: its steps' nodes, and the ties they were reached by.
  function highlightRoute(index) {
    [...$("paths").children].forEach((li) => li.classList.remove("chosen"));
    [...$("pathway").children].forEach((li, i) => li.classList.toggle("chosen", i === index));
    const route = state.pathway && state.pathway.routes[index];
    draw(route && { nodes: route.steps.map((s) => s.node),
                    relationships: route.steps.slice(1).map((s) => s.arrivedBy) });
  }

  function draw(path) {
    const cy = state.cy;
    cy.elements(".path").removeClass("path");
    cy.nodes(".on-path").removeClass("on-path");
    cy.remove(".added");
    if (!path) return;
    for (const n of path.nodes) {
      let node = cy.getElementById(n.id);
      if (node.empty()) {
        node = cy.add({ group: "nodes", classes: "added" + (n.kind === "Vacancy" ? " vacancy" : ""),
          data: { id: n.id, label: n.name || n.kind } });
        const anchor = cy.getElementById(state.anchor);
        const at = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
        node.position({ x: at.x + 110, y: at.y - 60 });
      }
      node.addClass("on-path");
    }
    for (let i = 0; i + 1 < path.nodes.length; i += 1) {
      const a = path.nodes[i].id;
      const b = path.nodes[i + 1].id;
      const type = path.relationships[i].type;
      // The tie the path took: two organisations may both refer and partner.
      let edge = cy.edges().filter((e) => e.data("type") === type
        && ((e.data("source") === a && e.data("target") === b)
          || (e.data("source") === b && e.data("target") === a)));
      if (edge.empty()) {
        // A route may take a tie back the way it came (to the hub after tuition): one edge.
        edge = cy.getElementById("path-" + [a, b].sort().join("|"));
      }
      if (edge.empty()) {
        edge = cy.add({ group: "edges", classes: "added",
          data: { id: "path-" + [a, b].sort().join("|"), source: a, target: b, type } });
      }
      edge.addClass("path");
    }
  }

  // -- panels --------------------------------------------------------------------------
  async function showPaths() {
    const list = $("paths");
    list.replaceChildren();
    state.paths = [];
    if (!state.source || !state.vacancy) {
      list.appendChild(el("li", "Choose a vacancy and an organisation."));
      return;
    }
    const data = await gql(PATHS, { f: state.source, t: state.vacancy, d: state.asOf });
    state.paths = data.referralPaths;
    if (!state.paths.length) list.appendChild(el("li", "No referral path within 6 hops."));
    state.paths.forEach((p, i) => {
      const li = el("li", p.explanation + " (" + p.hops + " hops)");
      li.addEventListener("click", () => highlight(i));
      list.appendChild(li);
    });
    highlight(0);
    await showPathway();
  }

  async function showPathway() {
    const list = $("pathway");
    list.replaceChildren();
    $("pathway-needs").textContent = "";
    state.pathway = null;
    if (!state.source || !state.vacancy) return;
    const data = await gql(PATHWAY, { o: state.source, v: state.vacancy });
    const found = data.pathway;
    state.pathway = found;
    const days = (n) => (n.time && n.time.medianDays !== null
      ? " (people took a median " + Math.round(n.time.medianDays) + " days)" : "");
    $("pathway-needs").textContent = found.needs.length
      ? "Steps needed, in order: " + found.needs.map((n) => n.gaps.join("; ") + days(n)).join(" → ")
        + (found.unmet.length ? ". Nobody here offers: " + found.unmet.map((n) => n.kind).join(", ") : "")
      : "The vacancy asks for nothing beyond the referral route.";
    if (!found.routes.length) list.appendChild(el("li", "No whole route within 10 hops."));
    found.routes.forEach((route, i) => {
      const li = el("li");
      li.appendChild(el("span", route.explanation + " (" + route.hops + " hops)"));
      const steps = el("ol");
      for (const step of route.steps) {
        const words = (step.node.name || step.node.kind) + ": " + step.why
          + (step.services.length ? " [" + step.services.join(", ") + "]" : "");
        steps.appendChild(el("li", words, step.closes.length ? "closes" : ""));
      }
      li.appendChild(steps);
      li.addEventListener("click", () => highlightRoute(i));
      list.appendChild(li);
    });
  }

  async function showGaps() {
    const data = await gql(GAPS, { a: state.anchor, o: state.occupation, d: state.asOf });
    const gaps = data.brokerageGaps;
    const cy = state.cy;
    cy.remove("edge.suggested");
    cy.nodes().removeClass("critical unlinked");
    $("brokerage-summary").textContent = "People who could fill its shortage posts: "
      + count(gaps.candidates) + "; with a referral route in: " + count(gaps.linked)
      + "; without one: " + count(gaps.unlinked) + "."
      + (gaps.candidates === null ? " (Hidden counts are small numbers.)" : "");
    const brokers = $("brokers");
    brokers.replaceChildren();
    for (const b of gaps.criticalBrokers) {
      cy.getElementById(b.node.id).addClass("critical");
      const cut = b.pairsCut === null ? "a few people (under 10)" : count(b.pairsCut) + " people";
      brokers.appendChild(el("li", (b.node.name || b.node.id) + ": its loss cuts " + cut + " off"));
    }
    if (!gaps.criticalBrokers.length) brokers.appendChild(el("li", "None: no single organisation cuts anyone off."));
    for (const g of gaps.unlinkedSupply) {
      if (g.organisation) cy.getElementById(g.organisation.id).addClass("unlinked");
    }
    const suggestions = $("suggestions");
    suggestions.replaceChildren();
    gaps.suggestedLinks.forEach((s, i) => {
      if (cy.getElementById(s.source.id).nonempty() && cy.getElementById(s.target.id).nonempty()) {
        cy.add({ group: "edges", classes: "suggested",
          data: { id: "suggested-" + i, source: s.source.id, target: s.target.id } });
      }
      suggestions.appendChild(el("li", (s.source.name || s.source.id) + " → "
        + (s.target.name || s.target.id) + ": " + s.reason));
    });
    if (!gaps.suggestedLinks.length) suggestions.appendChild(el("li", "None needed."));
  }

  function funnelRows(stages) {
    const body = $("funnel").tBodies[0];
    body.replaceChildren();
    for (const s of stages) {
      const row = el("tr");
      row.appendChild(el("td", s.stage.toLowerCase().replace("_", " ")));
      for (const [value, shown] of [[s.reached, count(s.reached)], [s.movedOn, count(s.movedOn)],
        [s.conversion, percent(s.conversion)],
        [s.medianDaysToNext, s.medianDaysToNext === null ? "–" : Math.round(s.medianDaysToNext)]]) {
        row.appendChild(el("td", shown, value === null ? "hidden" : ""));
      }
      body.appendChild(row);
    }
  }

  function showFunnel(funnel) {
    const group = funnel.groups.find((g) => g.key === state.occupation);
    const anchorName = (anchorById(state.anchor) || {}).name || "";
    funnelRows(group ? group.stages : funnel.stages);
    $("funnel-note").textContent = (group ? "People trained as " + group.name : "Everyone")
      + " in the pipeline of " + anchorName
      + (state.asOf ? ", up to " + longDate(state.asOf) + "." : ", all time.")
      + (funnel.countsRounded ? " Counts under 10 are hidden and the rest rounded to 5." : "");
  }

  function showImpact(impact) {
    const body = $("impact").tBodies[0];
    body.replaceChildren();
    for (const c of impact.components) {
      const row = el("tr");
      const line = c.lines.length === 1 ? c.lines[0] : null;
      const rate = line ? money(line.unitGbp) + (line.multiplier !== 1 ? " × " + line.multiplier : "")
        : "by occupation";
      row.appendChild(el("td", c.label));
      row.appendChild(el("td", count(c.people)));
      row.appendChild(el("td", rate));
      row.appendChild(el("td", c.amountGbp === null ? HIDDEN
        : (c.effect === "COST" ? "−" : "") + money(c.amountGbp)));
      body.appendChild(row);
    }
    const foot = $("impact").tFoot;
    foot.replaceChildren();
    for (const [label, value] of [["Earnings of the people placed", impact.earningsGbp],
      ["Public savings", impact.publicSavingsGbp], ["Total", impact.totalGbp]]) {
      const row = el("tr");
      row.appendChild(el("td", label));
      row.appendChild(el("td", ""));
      row.appendChild(el("td", ""));
      row.appendChild(el("td", money(value)));
      foot.appendChild(row);
    }
  }

  function showFootprint(f) {
    const list = $("footprint");
    list.replaceChildren();
    const years = f.organisationsByYear;
    const growth = years.length ? "from " + years[0].organisations + " in " + years[0].year
      + " to " + years[years.length - 1].organisations + " by " + years[years.length - 1].year : "no dated ties";
    const rows = [
      ["Employees", count(f.employees)],
      ["Spend a year", money(f.annualSpendGbp)],
      ["Land", f.landHectares === null ? "unknown" : f.landHectares + " ha, "
        + f.landHoldings.length + " holdings"],
      ["Macro asset", f.isMacroAsset ? "yes" : "no"],
      ["Community organisations", f.communityOrganisations
        + (state.asOf ? " on " + longDate(state.asOf) : " now") + " (" + growth + ")"],
    ];
    for (const [term, value] of rows) {
      list.appendChild(el("dt", term));
      list.appendChild(el("dd", value));
    }
  }

  // -- flow ----------------------------------------------------------------------------
  function fail(error) {
    status(error.message || String(error), true);
    document.body.dataset.state = "error";
  }

  async function chooseOccupation() {
    fillVacancies();
    document.body.dataset.state = "loading";
    status("Finding referral paths and gaps…");
    await Promise.all([showPaths(), showGaps()]);
    const view = state.view;
    if (view) showFunnel(view.funnel);
    status("Showing " + (anchorById(state.anchor) || {}).name
      + (state.asOf ? " as it stood on " + longDate(state.asOf)
        + " (the whole route and the impact estimate are today's)" : "")
      + ".");
    document.body.dataset.state = "ready";
  }

  // -- the day -------------------------------------------------------------------------
  // The service's day is UTC's; a year's position on the slider is the last day of that
  // year, and this year's is today (no asOf), since a day to come is refused.
  const thisYear = () => new Date().getUTCFullYear();
  const dayOf = (year) => (year >= thisYear() ? null : year + "-12-31");

  function longDate(day) {
    return new Date(day + "T00:00:00Z").toLocaleDateString("en-GB",
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  // The anchor's employment hub, if it has one: whose partners a board watches grow.
  function hubOf(network) {
    const hub = network.nodes.find((n) => n.kind === "Department" && n.role === "employment_hub");
    return hub ? hub.id : null;
  }

  // From the first year the hub (without one, the anchor or a department) had a partner in
  // today's network, to this year: the first position shows its first partners only.
  function fillYears(today) {
    const organisation = (id) => id.startsWith("CommunityOrganisation:");
    const hub = hubOf(today);
    const years = today.ties.filter((t) => organisation(t.source) !== organisation(t.target))
      .filter((t) => !hub || t.source === hub || t.target === hub)
      .map((t) => t.sinceYear).filter((y) => y !== null && y !== undefined);
    const last = thisYear();
    const first = Math.min(last, ...years);
    const slider = $("year");
    slider.min = String(first);
    slider.max = String(last);
    state.year = Math.min(last, Math.max(first, state.year === null ? last : state.year));
    state.asOf = dayOf(state.year);
    slider.value = String(state.year);
    slider.disabled = false;
    $("first-year").textContent = String(first);
    $("last-year").textContent = String(last);
    showYear();
  }

  function showYear() {
    const year = Number($("year").value);
    $("year-shown").textContent = year >= thisYear() ? "today" : longDate(dayOf(year));
  }

  function showPartners() {
    const name = (anchorById(state.anchor) || {}).name || "";
    const hub = hubOf(state.network);
    const ofHub = hub ? state.network.ties.filter((t) => t.type !== "PART_OF"
      && (t.source === hub || t.target === hub)).map((t) => (t.source === hub ? t.target : t.source)) : [];
    state.hubPartners = [...new Set(ofHub)].sort();
    const hubName = hub ? (state.network.nodes.find((n) => n.id === hub).name || "its hub") : null;
    $("partners-shown").textContent = state.partners.length.toLocaleString("en-GB")
      + " community organisations tied to " + name + " or its departments"
      + (hub ? ", " + state.hubPartners.length.toLocaleString("en-GB") + " of them to " + hubName : "")
      + ", " + (state.asOf ? "on " + longDate(state.asOf) : "today") + ".";
  }

  // The network and the place view as they stood on state.asOf, and what hangs on them.
  async function showAnchor() {
    const day = { a: state.anchor, d: state.asOf };
    const [network, view] = await Promise.all([
      gql(NETWORK, { ...day, p: state.place }), gql(PLACE_VIEW, day)]);
    state.network = network.partnershipNetwork;
    state.view = view;
    drawNetwork();
    showPartners();
    fillSources();
    showImpact(view.impact);
    showFootprint(view.anchorFootprint);
    showFunnel(view.funnel);
    await chooseOccupation();
  }

  async function chooseAnchor() {
    document.body.dataset.state = "loading";
    status("Loading the partnership network…");
    fillOccupations();
    // The slider's years come from today's network, whatever day is drawn.
    const today = await gql(NETWORK, { a: state.anchor, d: null, p: state.place });
    fillYears(today.partnershipNetwork);
    await showAnchor();
  }

  async function chooseYear() {
    document.body.dataset.state = "loading";
    state.year = Number($("year").value);
    state.asOf = dayOf(state.year);
    status("Drawing the network as it stood…");
    await showAnchor();
  }

  // The anchors of the chosen place only: the list is asked for with the place.
  async function choosePlace() {
    document.body.dataset.state = "loading";
    status("Loading anchors…");
    const data = await gql(ANCHORS, { p: state.place });
    state.anchors = data.anchors.edges.map((e) => e.node);
    const select = $("anchor");
    select.replaceChildren();
    for (const a of state.anchors) option(select, a.id, a.name);
    select.disabled = state.anchors.length === 0;
    // Start where there is something to see: the anchor with the most shortage posts.
    const shortages = (a) => a.vacancies.filter((v) => v.shortage).length;
    const first = [...state.anchors].sort((a, b) => shortages(b) - shortages(a))[0];
    if (!first) {
      status("No anchors in this place yet.");
      document.body.dataset.state = "ready";
      return;
    }
    state.anchor = first.id;
    select.value = first.id;
    await chooseAnchor();
  }

  async function start() {
    if (!takeToken()) {
      status(refusedQueryToken
        ? "A token in the address after ?token= is sent to the server, so it was not used: " +
          "paste it above, or open the link with #token= instead."
        : "Paste a bearer token above (a place leader's will do) to explore.", true);
      document.body.dataset.state = "signed-out";
      return;
    }
    if (typeof cytoscape !== "function") {
      throw new Error("The graph library is missing: run `make assets` and reload.");
    }
    status("Loading places…");
    // Only the places this token may see: the API lists no other.
    state.places = (await gql(PLACES)).places;
    const picker = $("place");
    picker.replaceChildren();
    for (const p of state.places) option(picker, p.id, p.name);
    picker.disabled = state.places.length === 0;
    if (!state.places.length) {
      status("This token may see no place.", true);
      document.body.dataset.state = "ready";
      return;
    }
    if (!state.places.some((p) => p.id === state.place)) state.place = state.places[0].id;
    picker.value = state.place;
    await choosePlace();
  }

  $("place").addEventListener("change", (e) => { state.place = e.target.value; choosePlace().catch(fail); });
  $("year").addEventListener("input", showYear);
  $("year").addEventListener("change", () => { chooseYear().catch(fail); });
  $("anchor").addEventListener("change", (e) => { state.anchor = e.target.value; chooseAnchor().catch(fail); });
  $("occupation").addEventListener("change", (e) => { state.occupation = e.target.value; chooseOccupation().catch(fail); });
  $("vacancy").addEventListener("change", (e) => { state.vacancy = e.target.value; showPaths().catch(fail); });
  $("source").addEventListener("change", (e) => { state.source = e.target.value; showPaths().catch(fail); });
  $("sign-in").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $("token").value.trim();
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    $("token").value = "";
    start().catch(fail);
  });
  // A new #token= link opened in this tab changes only the fragment: no reload.
  window.addEventListener("hashchange", () => {
    if (new URLSearchParams(window.location.hash.replace(/^#/, "")).has("token")) {
      start().catch(fail);
    }
  });
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    window.location.reload();
  });

  start().catch(fail);
})();
