/* PlacePlanner: the participant's page of a live meeting.
 *
 * Plain ES2017 with no framework and no build step, so that it runs on an old phone and can be
 * read in one sitting. Every name on this page (options, values, people, the meeting) was typed by
 * someone else, so the DOM is built with createElement and textContent only, never innerHTML. The
 * server's Content-Security-Policy forbids inline script and style, so nothing here sets either.
 *
 * Flow: join code -> your name (asked to confirm when that name is in the meeting on another
 * device) -> declare any interests -> score the option in hand (or weigh the
 * values, when the facilitator opens weighting), and follow the meeting through server-sent events
 * (or polling where they fail) until it ends.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'placeplanner.meeting.token';
  var CONFIRMED_KEY = 'placeplanner.meeting.declarations-confirmed';
  var POLL_MS = 3000;
  var MIN_REFRESH_GAP_MS = 250;
  var STREAM_FAILURES_BEFORE_POLLING = 3;
  var DONT_KNOW = "Don't know";
  var CONFIDENCE = [['', 'Not given'], ['low', 'Low'], ['medium', 'Medium'], ['high', 'High']];
  var CONFIDENCE_WORD = { low: 'Low', medium: 'Medium', high: 'High' };

  var app = {
    token: storageGet(TOKEN_KEY),
    code: '',
    meeting: '',
    names: [],
    state: null, // the last answer of /api/state
    screen: '', // what the page shows: loading, join, name, declare, meeting, weighting, ended
    key: '', // what it was built from, so an update that changes nothing rebuilds nothing
    flash: '', // a notice for the next screen built
    form: null, // the scoring form in hand
    weights: null, // the weighting form in hand
    reviewing: false, // back on the declarations after scoring started
    source: null,
    streamFailures: 0,
    pollTimer: 0,
    refreshTimer: 0,
    refreshing: false,
    refreshAgain: false,
    lastRefresh: 0,
    lastHeard: '' // stage and option last announced
  };
  var uid = 0;

  // -- small helpers ---------------------------------------------------------------------------

  /** An element with attributes, listeners (on...) and children; text only through textContent. */
  function h(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined || children === false) return;
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
  }

  function newId(prefix) {
    uid += 1;
    return prefix + '-' + uid;
  }

  function hidden(text) {
    return h('span', { className: 'visually-hidden', text: text });
  }

  function storageGet(key) {
    try { return window.sessionStorage.getItem(key) || ''; } catch (e) { return ''; }
  }

  function storageSet(key, value) {
    try {
      if (value) window.sessionStorage.setItem(key, value);
      else window.sessionStorage.removeItem(key);
    } catch (e) { /* private browsing: the place lasts as long as the page */ }
  }

  function formatPoint(point) {
    return String(Number(point));
  }

  function clock() {
    var now = new Date();
    return ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
  }

  function quoted(text) {
    return '\u201c' + text + '\u201d';
  }

  /** Tell screen-reader users what changed, once. */
  function announce(text) {
    var region = document.getElementById('announcer');
    region.textContent = '';
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function notice(kind, title, body) {
    return h('div', { className: 'notice notice-' + kind }, [
      title ? h('p', { className: 'notice-title', text: title }) : null,
      body ? (typeof body === 'string' ? h('p', { text: body }) : body) : null
    ]);
  }

  function button(text, onClick, className) {
    return h('button', { type: 'button', className: className || 'button button-secondary', text: text, onclick: onClick });
  }

  /** Replace what the page shows; focus its heading when the person was inside the old one. */
  function show(screen, key, nodes, title) {
    var view = document.getElementById('view');
    var active = document.activeElement;
    // Not on the first screen: a page that has just loaded starts at the top, skip link first.
    var focusHeading = app.screen !== '' &&
      (!active || active === document.body || view.contains(active) || screen !== app.screen);
    view.textContent = '';
    append(view, nodes);
    app.screen = screen;
    app.key = key;
    document.title = (title ? title + ' \u2013 ' : '') + 'PlacePlanner meeting';
    window.scrollTo(0, 0);
    if (focusHeading) {
      var heading = view.querySelector('h1');
      if (heading) heading.focus({ preventScroll: true });
    }
  }

  function heading(text) {
    return h('h1', { tabindex: '-1', text: text });
  }

  function setMeetingName(name) {
    document.getElementById('meeting-name').textContent = name || '';
  }

  function field(id, label, control, hint, error) {
    return h('div', { className: 'field' }, [
      h('label', { className: 'label', 'for': id }, label),
      hint ? h('p', { className: 'hint', id: id + '-hint', text: hint }) : null,
      error || null,
      control
    ]);
  }

  function showFieldError(control, error, message) {
    error.textContent = message;
    error.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.closest('.field').classList.add('field-has-error');
    control.focus();
  }

  function clearFieldError(control, error) {
    error.textContent = '';
    error.hidden = true;
    control.removeAttribute('aria-invalid');
    control.closest('.field').classList.remove('field-has-error');
  }

  // -- the server ------------------------------------------------------------------------------

  /** One call to the meeting's API: {ok, status, data, error, retryAfter}; never throws. */
  async function api(method, path, body, authenticated) {
    var headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (authenticated) headers['X-Meeting-Token'] = app.token;
    var response;
    try {
      response = await fetch(path, {
        method: method,
        headers: headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit'
      });
    } catch (e) {
      return { ok: false, status: 0, data: null, retryAfter: 0,
        error: 'The meeting cannot be reached. Check your connection; this page keeps trying.' };
    }
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    var error = '';
    if (!response.ok) {
      error = data && typeof data.error === 'string' ? data.error
        : 'Something went wrong (error ' + response.status + '). Please try again.';
    }
    return { ok: response.ok, status: response.status, data: data, error: error,
      retryAfter: Number(response.headers.get('Retry-After')) || 0 };
  }

  function setConnectionProblem(message) {
    var banner = document.getElementById('connection');
    if (message && banner.hidden) announce(message);
    banner.textContent = message || '';
    banner.hidden = !message;
  }

  /** Fetch the state now, or as soon as the one in flight is back. */
  async function refresh() {
    if (!app.token) return;
    if (app.refreshing) { app.refreshAgain = true; return; }
    app.refreshing = true;
    var result = await api('GET', '/api/state', undefined, true);
    app.refreshing = false;
    app.lastRefresh = Date.now();
    if (result.status === 401) { lostPlace(result.error); return; }
    if (result.status === 410) { showEnded(); return; }
    if (result.status === 429) { scheduleRefresh(1000 * (result.retryAfter || 2)); return; }
    if (!result.ok || !result.data) {
      setConnectionProblem(result.status === 0 ? result.error : 'The meeting did not answer: ' + result.error);
      if (!app.pollTimer) scheduleRefresh(POLL_MS);
      return;
    }
    setConnectionProblem('');
    app.state = result.data;
    route();
    if (app.refreshAgain) { app.refreshAgain = false; scheduleRefresh(0); }
  }

  function scheduleRefresh(delay) {
    if (app.refreshTimer) return;
    var wait = Math.max(delay || 0, app.lastRefresh + MIN_REFRESH_GAP_MS - Date.now(), 0);
    app.refreshTimer = window.setTimeout(function () { app.refreshTimer = 0; refresh(); }, wait);
  }

  /** Hear of changes: server-sent events, or polling every few seconds where they keep failing. */
  function listen() {
    if (!app.token || app.source || app.pollTimer) return;
    if (typeof window.EventSource !== 'function' || app.streamFailures >= STREAM_FAILURES_BEFORE_POLLING) {
      app.pollTimer = window.setInterval(refresh, POLL_MS);
      return;
    }
    var source = new window.EventSource('/api/events?token=' + encodeURIComponent(app.token));
    app.source = source;
    source.addEventListener('open', function () { app.streamFailures = 0; });
    source.addEventListener('change', function (event) {
      if (!app.state || Number(event.data) !== app.state.version) scheduleRefresh(0);
    });
    source.addEventListener('error', function () {
      app.streamFailures += 1;
      scheduleRefresh(0); // catch up on what was missed, and learn whether the place still holds
      if (source.readyState === window.EventSource.CLOSED || app.streamFailures >= STREAM_FAILURES_BEFORE_POLLING) {
        source.close();
        if (app.source === source) app.source = null;
        window.setTimeout(listen, app.streamFailures >= STREAM_FAILURES_BEFORE_POLLING ? 0 : POLL_MS);
      }
    });
  }

  function stopListening() {
    if (app.source) { app.source.close(); app.source = null; }
    if (app.pollTimer) { window.clearInterval(app.pollTimer); app.pollTimer = 0; }
    if (app.refreshTimer) { window.clearTimeout(app.refreshTimer); app.refreshTimer = 0; }
  }

  function forget() {
    stopListening();
    app.token = '';
    app.state = null;
    app.form = null;
    app.weights = null;
    app.reviewing = false;
    storageSet(TOKEN_KEY, '');
    storageSet(CONFIRMED_KEY, '');
  }

  /** The token no longer admits us (the meeting ended, or the name joined elsewhere). */
  function lostPlace(message) {
    forget();
    showJoin(message || 'Your place in the meeting has ended; join again with the code.');
  }

  // -- joining ---------------------------------------------------------------------------------

  function showJoin(message) {
    stopListening();
    var error = h('p', { className: 'field-error', id: 'join-code-error', hidden: true });
    var input = h('input', { className: 'input input-code', id: 'join-code', name: 'code', type: 'text',
      autocomplete: 'off', autocapitalize: 'characters', autocorrect: 'off', spellcheck: 'false',
      maxlength: '40', 'aria-describedby': 'join-code-hint join-code-error' });
    input.value = app.code;
    var busy = false;
    var form = h('form', { className: 'form', novalidate: true, onsubmit: async function (event) {
      event.preventDefault();
      if (busy) return;
      var code = input.value.trim();
      if (!code) { showFieldError(input, error, 'Enter the join code.'); return; }
      busy = true;
      var result = await api('POST', '/api/names', { code: code });
      busy = false;
      if (!result.ok) { showFieldError(input, error, result.error); announce(result.error); return; }
      app.code = code;
      app.meeting = String(result.data.meeting || '');
      app.names = Array.isArray(result.data.names) ? result.data.names : [];
      setMeetingName(app.meeting);
      showName();
    } }, [
      field('join-code', 'Join code', input, 'The code is shown on the meeting\u2019s screen.', error),
      h('button', { type: 'submit', className: 'button', text: 'Continue' })
    ]);
    show('join', 'join', [
      heading('Join the meeting'),
      message ? notice('warning', '', message) : null,
      h('p', { className: 'lead', text: 'Score the options with the rest of the room, from this phone or laptop.' }),
      form
    ], 'Join the meeting');
  }

  function showName(message) {
    var error = h('p', { className: 'field-error', id: 'your-name-error', hidden: true });
    var select = h('select', { className: 'select', id: 'your-name', name: 'name',
      'aria-describedby': 'your-name-hint your-name-error' },
    [h('option', { value: '', text: 'Choose your name' })].concat(app.names.map(function (name) {
      return h('option', { value: String(name), text: String(name) });
    })));
    var busy = false;
    var form = h('form', { className: 'form', novalidate: true, onsubmit: async function (event) {
      event.preventDefault();
      if (busy) return;
      if (!select.value) { showFieldError(select, error, 'Choose your name from the list.'); return; }
      busy = true;
      var name = select.value;
      var result = await api('POST', '/api/join', { code: app.code, name: name });
      busy = false;
      if (result.status === 409 && result.data && result.data.in_use === true) {
        showTakeOver(name, result.error);
        return;
      }
      if (!result.ok || !result.data || typeof result.data.token !== 'string') {
        showFieldError(select, error, result.error || 'The meeting did not let you join. Please try again.');
        announce(result.error);
        return;
      }
      await joined(name, result.data.token);
    } }, [
      field('your-name', 'Your name', select, 'Only the people invited to this meeting are listed.', error),
      h('div', { className: 'button-row' }, [
        h('button', { type: 'submit', className: 'button', text: 'Join meeting' }),
        button('Use a different code', function () { showJoin(); })
      ])
    ]);
    show('name', 'name', [
      heading('Who are you?'),
      message ? notice('warning', '', message) : null,
      form
    ], 'Who are you?');
  }

  /** The name chosen holds a place on another device: continue here (ending that one), or not. */
  function showTakeOver(name, question) {
    var busy = false;
    var error = h('p', { className: 'field-error', id: 'take-over-error', hidden: true });
    var go = h('button', { type: 'button', className: 'button', text: 'Continue here' });
    go.addEventListener('click', async function () {
      if (busy) return;
      busy = true;
      go.setAttribute('aria-disabled', 'true');
      var result = await api('POST', '/api/join', { code: app.code, name: name, take_over: true });
      busy = false;
      go.removeAttribute('aria-disabled');
      if (!result.ok || !result.data || typeof result.data.token !== 'string') {
        error.textContent = result.error || 'The meeting did not let you join. Please try again.';
        error.hidden = false;
        announce(error.textContent);
        return;
      }
      await joined(name, result.data.token);
    });
    show('take-over', 'take-over', [
      heading('Already in the meeting'),
      notice('warning', '', question || (name + ' is already in the meeting on another device; continue here and end that one?')),
      h('p', { text: 'If you continue, the other device goes back to the join screen and the facilitator sees that ' +
        'you moved. Your saved scores are kept.' }),
      h('p', { text: 'If that is not you on the other device, do not continue: tell the facilitator.' }),
      error,
      h('div', { className: 'button-row' }, [
        go,
        button('Go back', function () { showName(); })
      ])
    ], 'Already in the meeting');
  }

  async function joined(name, token) {
    app.token = token;
    storageSet(TOKEN_KEY, app.token);
    if (storageGet(CONFIRMED_KEY) !== name) storageSet(CONFIRMED_KEY, '');
    showLoading();
    await refresh();
    listen();
  }

  /** "Not you?": give up this page's place, so the name is free for its owner, then start again. */
  async function leave() {
    // Stop listening first: the server ends this token's event stream on leaving, and a page still
    // listening would ask for the state with the token it has just given up.
    stopListening();
    if (app.token) await api('POST', '/api/leave', {}, true);
    app.code = '';
    forget();
    showJoin();
  }

  function showLoading() {
    show('loading', 'loading', [heading('Joining the meeting\u2026'),
      h('p', { text: 'This takes a moment.' })], 'Joining');
  }

  // -- what the state says to show -------------------------------------------------------------

  function route() {
    var s = app.state;
    setMeetingName(s.meeting);
    if (s.stage === 'ended') { showEnded(); return; }
    if (app.reviewing || storageGet(CONFIRMED_KEY) !== s.participant) { showDeclare(); return; }
    if (s.stage === 'weighting' || s.stage === 'weights closed') { showWeighting(); return; }
    showMeeting();
  }

  function showEnded() {
    forget();
    show('ended', 'ended', [heading('The meeting has ended'),
      h('p', { text: 'Thank you for taking part. Your scores are kept in the plan. You can close this page.' })],
    'The meeting has ended');
    announce('The meeting has ended.');
  }

  // -- declarations ------------------------------------------------------------------------------

  function showDeclare() {
    var s = app.state;
    var key = JSON.stringify(['declare', s.agenda, s.declared, s.policy, app.reviewing]);
    if (app.screen === 'declare' && app.key === key) return;
    var declared = s.declared || {};
    var anyDeclared = Object.keys(declared).length > 0;
    var recuse = s.policy !== 'flag';

    var list = h('ol', { className: 'agenda' }, s.agenda.map(function (option) {
      return h('li', { className: declared[option] ? 'agenda-item has-interest' : 'agenda-item' }, [
        h('span', { className: 'agenda-option', text: option }),
        declared[option] ? h('span', { className: 'agenda-interest' }, [
          h('strong', { text: 'You declared: ' }), declared[option]
        ]) : null
      ]);
    }));

    var optionError = h('p', { className: 'field-error', id: 'declare-option-error', hidden: true });
    var optionSelect = h('select', { className: 'select', id: 'declare-option',
      'aria-describedby': 'declare-option-error' },
    [h('option', { value: '', text: 'Choose an option' })].concat(s.agenda.map(function (option, index) {
      return h('option', { value: String(index), text: option });
    })));
    var interestError = h('p', { className: 'field-error', id: 'declare-interest-error', hidden: true });
    var interest = h('textarea', { className: 'textarea', id: 'declare-interest', rows: '3', maxlength: '500',
      'aria-describedby': 'declare-interest-hint declare-interest-error' });
    var busy = false;
    var declareForm = h('form', { className: 'form', novalidate: true, onsubmit: async function (event) {
      event.preventDefault();
      if (busy) return;
      clearFieldError(optionSelect, optionError);
      clearFieldError(interest, interestError);
      if (!optionSelect.value) { showFieldError(optionSelect, optionError, 'Choose the option you have an interest in.'); return; }
      if (!interest.value.trim()) { showFieldError(interest, interestError, 'Say what your interest is.'); return; }
      var option = s.agenda[Number(optionSelect.value)];
      busy = true;
      var result = await api('POST', '/api/declare', { option: option, interest: interest.value }, true);
      busy = false;
      if (result.status === 401) { lostPlace(result.error); return; }
      if (!result.ok) { showFieldError(interest, interestError, result.error); announce(result.error); return; }
      app.flash = 'Your interest in ' + quoted(option) + ' is recorded.' +
        (recuse ? ' You will not score that option.' : ' Your scores on it will be marked.');
      app.key = ''; // rebuild even if the state came back the same
      announce(app.flash);
      await refresh();
    } }, [
      field('declare-option', 'Option', optionSelect, null, optionError),
      field('declare-interest', 'Your interest', interest,
        'For example: \u201cmy team would deliver this service\u201d or \u201cmy practice would be paid for it\u201d.',
        interestError),
      h('button', { type: 'submit', className: 'button button-secondary', text: 'Declare interest' })
    ]);

    var flash = app.flash;
    app.flash = '';
    var doneText = app.reviewing ? (isWeighting(s.stage) ? 'Back to weighting' : 'Back to scoring')
      : anyDeclared ? 'I have no other interests to declare' : 'I have no interests to declare';
    show('declare', key, [
      heading('Declare any interests'),
      flash ? notice('success', '', flash) : null,
      h('p', { className: 'lead', text: 'Before you score, say whether you or your organisation would gain or lose from any option on the agenda: for example, your team would deliver it or be paid for it.' }),
      h('p', { text: recuse
        ? 'If you declare an interest in an option, you will not score that option. This keeps the scoring fair.'
        : 'If you declare an interest in an option, you can still score it, and your scores on it will be marked so the room knows.' }),
      h('h2', { text: 'Options on the agenda' }),
      list,
      h('details', { className: 'disclosure' }, [
        h('summary', { text: anyDeclared ? 'I have another interest to declare' : 'I have an interest to declare' }),
        h('div', { className: 'disclosure-body' }, declareForm)
      ]),
      h('div', { className: 'button-row' }, [
        button(doneText, function () {
          storageSet(CONFIRMED_KEY, s.participant);
          app.reviewing = false;
          route();
        }, 'button')
      ]),
      anyDeclared ? h('p', { className: 'hint', text: 'To change or withdraw a declaration, speak to the facilitator.' }) : null
    ], 'Declare any interests');
  }

  // -- the meeting -------------------------------------------------------------------------------

  function showMeeting() {
    var s = app.state;
    var q = s.question;
    var declaredHere = q && s.declared ? s.declared[q.option] : '';
    var mode;
    if (s.stage === 'lobby' || !q) mode = 'lobby';
    else if (s.stage === 'scoring') mode = s.recused ? 'recused' : 'scoring';
    else mode = 'done'; // closed or revealed
    // While scoring, the form is rebuilt only when the question changes, never under the person's
    // hands; afterwards, their saved scores are shown as they are.
    var key = JSON.stringify(['meeting', mode, s.stage, q, s.recused, s.flagged, declaredHere,
      mode === 'scoring' ? null : s.my_scores, mode === 'lobby' ? s.agenda : null]);
    if (app.screen === 'meeting' && app.key === key) return;
    announceStage(s, mode);
    if (mode !== 'scoring') app.form = null;
    app.weights = null;

    var nodes = [];
    if (mode === 'lobby') {
      nodes.push(heading('Waiting for scoring to start'),
        h('p', { className: 'lead', text: 'The facilitator will open the first option. This page updates by itself; you do not need to refresh it.' }),
        h('h2', { text: 'On the agenda' }),
        h('ol', { className: 'agenda' }, s.agenda.map(function (option) {
          return h('li', { className: 'agenda-item' }, h('span', { className: 'agenda-option', text: option }));
        })));
    } else {
      var position = s.agenda.indexOf(q.option);
      nodes.push(
        position >= 0 ? h('p', { className: 'caption', text: 'Option ' + (position + 1) + ' of ' + s.agenda.length }) : null,
        heading(q.option),
        h('p', { className: 'stage stage-' + s.stage, text: stageWords(s.stage) }));
      if (mode === 'recused') {
        nodes.push(notice('warning', 'You do not score this option', h('div', {}, [
          h('p', { text: 'You declared an interest in it:' }),
          h('blockquote', { className: 'interest', text: declaredHere || 'An interest' }),
          h('p', { text: 'Under this meeting\u2019s rules, people with an interest in an option do not score it. You can still follow the discussion.' })
        ])));
      } else if (mode === 'done') {
        nodes.push(notice('info', s.stage === 'revealed' ? 'The room\u2019s scores are being revealed' : 'Scoring is closed',
          s.stage === 'revealed'
            ? 'The spread of scores is shown on the meeting\u2019s screen. Your own scores are below; they can no longer be changed.'
            : 'No more scores are taken for this option. Your own scores are below.'));
      } else if (s.flagged) {
        nodes.push(notice('warning', 'You declared an interest in this option', h('div', {}, [
          h('blockquote', { className: 'interest', text: declaredHere || 'An interest' }),
          h('p', { text: 'You can still score it; your scores will be marked so the room knows.' })
        ])));
      }
      nodes.push(summary(q));
      if (mode === 'scoring') nodes.push(scoringForm(q, s.my_scores || {}));
      else if (mode === 'done') nodes.push(readOnlyScores(q, s.my_scores || {}, s.recused || (!!declaredHere && s.policy !== 'flag')));
    }
    nodes.push(pageFooter(s));
    show('meeting', key, nodes, mode === 'lobby' ? 'Waiting for scoring' : q.option);
  }

  function stageWords(stage) {
    return { scoring: 'Scoring open', closed: 'Scoring closed', revealed: 'Scores revealed' }[stage] || '';
  }

  function announceStage(s, mode) {
    var q = s.question;
    var heard = JSON.stringify([mode, s.stage, q && q.option]);
    if (heard === app.lastHeard) return;
    var first = !app.lastHeard;
    app.lastHeard = heard;
    if (first && mode === 'lobby') return;
    var name = q ? quoted(q.option) : '';
    announce({
      lobby: 'Waiting for scoring to start.',
      scoring: 'Scoring is open for ' + name + '.',
      recused: 'You do not score ' + name + ', because you declared an interest in it.',
      done: s.stage === 'revealed' ? 'The room\u2019s scores for ' + name + ' are being revealed.'
        : 'Scoring is closed for ' + name + '.'
    }[mode]);
  }

  function summary(q) {
    var needs = q.needs && q.needs.length
      ? h('ul', { className: 'plain-list' }, q.needs.map(function (need) { return h('li', { text: need }); }))
      : 'None named';
    return h('section', { className: 'summary', 'aria-label': 'About this option' }, [
      q.description ? h('p', { className: 'summary-description', text: q.description }) : null,
      h('dl', { className: 'facts' }, [
        h('div', { className: 'fact' }, [h('dt', { text: 'Lead partner' }), h('dd', { text: q.lead_partner || 'Not named' })]),
        h('div', { className: 'fact' }, [h('dt', { text: 'Cost' }), h('dd', { text: q.cost })]),
        h('div', { className: 'fact' }, [h('dt', { text: 'Needs it addresses' }), h('dd', {}, needs)])
      ])
    ]);
  }

  function pageFooter(s) {
    return h('footer', { className: 'page-footer' }, [
      h('p', {}, ['You joined as ', h('strong', { text: s.participant }), '.']),
      h('div', { className: 'button-row' }, [
        button('Declare an interest', function () { app.reviewing = true; showDeclare(); }),
        button('Not you? Join again', leave, 'button button-link')
      ])
    ]);
  }

  // -- scoring -------------------------------------------------------------------------------------

  function scoringForm(q, mine) {
    var status = h('div', { className: 'save-status', id: 'save-status', role: 'status', 'aria-live': 'polite' });
    var submit = h('button', { type: 'submit', className: 'button', text: 'Submit scores' });
    var form = { option: q.option, values: [], status: status, button: submit, saved: null, busy: false, kind: '' };
    form.values = q.values.map(function (value, index) {
      return valueControl(value, mine[value.name], 'Value ' + (index + 1) + ' of ' + q.values.length);
    });
    var element = h('form', { className: 'scores', novalidate: true, 'aria-labelledby': 'scores-heading' }, [
      h('h2', { id: 'scores-heading', text: 'Your scores for ' + q.option }),
      h('p', { className: 'hint', text: 'Choose a score or \u201c' + DONT_KNOW + '\u201d for each value; confidence and a comment are optional. Only you see your scores until the facilitator reveals the spread.' })
    ].concat(form.values.map(function (v) { return v.element; }), [
      h('div', { className: 'submit-area' }, [submit, status])
    ]));
    element.addEventListener('submit', function (event) { event.preventDefault(); submitScores(form); });
    element.addEventListener('change', function () { edited(form); });
    element.addEventListener('input', function () { edited(form); });
    app.form = form;
    if (Object.keys(mine).length) {
      form.saved = snapshot(form);
      setSaveStatus(form, 'saved', 'Saved', 'Your scores for this option are saved. You can change them and submit again until scoring closes.');
    }
    return element;
  }

  function valueControl(value, mine, position) {
    var id = newId('value');
    var described = [];
    var radios = [];
    var anchors = [];
    var points = value.choices.map(function (choice, index) {
      var anchorId = choice.label ? id + '-point-' + index : null;
      if (anchorId) {
        anchors.push(h('li', {}, [
          h('span', { className: 'anchor-point', text: formatPoint(choice.point) }),
          h('span', { className: 'anchor-label', id: anchorId, text: choice.label })
        ]));
      }
      var input = h('input', { type: 'radio', name: id, value: String(index), 'aria-describedby': anchorId });
      if (mine && mine.score !== null && Number(mine.score) === Number(choice.point)) input.checked = true;
      radios.push(input);
      return h('label', { className: 'point' }, [input, h('span', { className: 'point-face', text: formatPoint(choice.point) })]);
    });
    var dontKnow = h('input', { type: 'radio', name: id, value: 'dont-know' });
    if (mine && mine.score === null) dontKnow.checked = true;
    radios.push(dontKnow);
    if (value.description) described.push(id + '-description');

    var error = h('p', { className: 'field-error', id: id + '-error', hidden: true });
    var confidence = h('select', { className: 'select select-short', id: id + '-confidence' },
      CONFIDENCE.map(function (pair) { return h('option', { value: pair[0], text: pair[1] }); }));
    confidence.value = mine && mine.confidence ? mine.confidence : '';
    var comment = h('textarea', { className: 'textarea', id: id + '-comment', rows: '2', maxlength: '500' });
    comment.value = mine && mine.comment ? mine.comment : '';
    var extras = h('details', { className: 'disclosure extras', open: !!(mine && (mine.confidence || mine.comment)) }, [
      h('summary', {}, ['Confidence and comment', hidden(' for ' + value.name), ' (optional)']),
      h('div', { className: 'disclosure-body' }, [
        h('div', { className: 'field' }, [
          h('label', { className: 'label', 'for': id + '-confidence' }, ['Confidence', hidden(' in your score for ' + value.name)]),
          confidence
        ]),
        h('div', { className: 'field' }, [
          h('label', { className: 'label', 'for': id + '-comment' }, ['Comment', hidden(' on ' + value.name)]),
          comment
        ])
      ])
    ]);
    var group = h('div', { className: 'scale', role: 'radiogroup', 'aria-labelledby': id + '-name',
      'aria-describedby': (described.concat([id + '-error'])).join(' '), 'aria-required': 'true' }, [
      h('div', { className: 'points' }, points),
      h('div', { className: 'points points-extra' },
        h('label', { className: 'point point-wide' }, [dontKnow, h('span', { className: 'point-face', text: DONT_KNOW })]))
    ]);
    var element = h('section', { className: 'value', 'aria-labelledby': id + '-name' }, [
      h('p', { className: 'value-position', text: position }),
      h('h3', { className: 'value-name', id: id + '-name', text: value.name }),
      value.description ? h('p', { className: 'value-description', id: id + '-description', text: value.description }) : null,
      anchors.length ? h('ul', { className: 'anchors', 'aria-label': 'What the points mean' }, anchors) : null,
      error,
      group,
      extras
    ]);
    return { name: value.name, choices: value.choices, radios: radios, confidence: confidence, comment: comment,
      error: error, element: element };
  }

  function collect(form) {
    var scores = {};
    var missing = [];
    form.values.forEach(function (v) {
      var chosen = v.radios.filter(function (radio) { return radio.checked; })[0];
      if (!chosen) { missing.push(v); return; }
      scores[v.name] = {
        score: chosen.value === 'dont-know' ? null : v.choices[Number(chosen.value)].point,
        confidence: v.confidence.value || null,
        comment: v.comment.value
      };
    });
    return { scores: scores, missing: missing };
  }

  function snapshot(form) {
    var collected = collect(form);
    return JSON.stringify([collected.scores, collected.missing.map(function (v) { return v.name; })]);
  }

  function showValueError(v, message) {
    v.error.textContent = message;
    v.error.hidden = !message;
    v.element.classList.toggle('value-has-error', !!message);
  }

  function setSaveStatus(form, kind, title, detail) {
    form.kind = kind;
    form.status.className = 'save-status save-status-' + kind;
    form.status.textContent = '';
    append(form.status, [h('p', { className: 'save-status-title', text: title }),
      detail ? h('p', { text: detail }) : null]);
  }

  function edited(form) {
    form.values.forEach(function (v) {
      if (v.radios.some(function (radio) { return radio.checked; })) showValueError(v, '');
    });
    if (form.kind === 'missing' && !collect(form).missing.length) setSaveStatus(form, '', '', '');
    if (form.busy || form.saved === null) return;
    var same = snapshot(form) === form.saved;
    if (!same && form.kind === 'saved') {
      setSaveStatus(form, 'changed', 'Changes not saved yet', 'Select \u201cSubmit scores\u201d to save your changes.');
    } else if (same && form.kind === 'changed') {
      setSaveStatus(form, 'saved', 'Saved', 'Your scores match what you last submitted.');
    }
  }

  async function submitScores(form) {
    if (form.busy) return;
    var collected = collect(form);
    form.values.forEach(function (v) {
      showValueError(v, collected.missing.indexOf(v) >= 0 ? 'Choose a score or \u201c' + DONT_KNOW + '\u201d.' : '');
    });
    if (collected.missing.length) {
      setSaveStatus(form, 'missing', 'Not sent', 'Choose a score or \u201c' + DONT_KNOW + '\u201d for: ' +
        collected.missing.map(function (v) { return v.name; }).join(', ') + '.');
      collected.missing[0].radios[0].focus();
      return;
    }
    var sent = snapshot(form);
    form.busy = true;
    form.button.setAttribute('aria-disabled', 'true');
    setSaveStatus(form, 'pending', 'Sending your scores\u2026', '');
    var result = await api('POST', '/api/scores', { option: form.option, scores: collected.scores }, true);
    form.busy = false;
    form.button.removeAttribute('aria-disabled');
    if (result.status === 401) { lostPlace(result.error); return; }
    if (result.ok && result.data && result.data.saved === true) {
      form.saved = sent;
      if (snapshot(form) === sent) {
        setSaveStatus(form, 'saved', 'Saved', 'Your scores were saved at ' + clock() +
          '. You can change them and submit again until scoring closes.');
      } else {
        setSaveStatus(form, 'changed', 'Changes not saved yet', 'Your earlier scores were saved; select \u201cSubmit scores\u201d to save your changes.');
      }
    } else {
      setSaveStatus(form, 'error', 'Your scores were not saved', result.error);
    }
    scheduleRefresh(0);
  }

  function readOnlyScores(q, mine, recused) {
    var any = Object.keys(mine).length > 0;
    var items = q.values.filter(function (value) { return mine[value.name]; }).map(function (value) {
      var m = mine[value.name];
      var label = '';
      value.choices.forEach(function (choice) {
        if (m.score !== null && Number(choice.point) === Number(m.score) && choice.label) label = choice.label;
      });
      return h('div', { className: 'fact' }, [
        h('dt', { text: value.name }),
        h('dd', {}, [
          h('span', { className: 'score-given', text: m.score === null ? DONT_KNOW : formatPoint(m.score) }),
          label ? h('span', { className: 'score-label', text: ' \u2013 ' + label }) : null,
          m.confidence ? h('span', { className: 'score-extra', text: 'Confidence: ' + (CONFIDENCE_WORD[m.confidence] || m.confidence) }) : null,
          m.comment ? h('span', { className: 'score-extra', text: 'Comment: ' + m.comment }) : null
        ])
      ]);
    });
    return h('section', { className: 'my-scores', 'aria-labelledby': 'my-scores-heading' }, [
      h('h2', { id: 'my-scores-heading', text: 'Your scores' }),
      any ? h('dl', { className: 'facts' }, items)
        : h('p', { text: recused ? 'You did not score this option, because you declared an interest in it.'
          : 'You did not send scores for this option.' })
    ]);
  }

  // -- weighting ---------------------------------------------------------------------------------

  var TOP_RATING = 100;
  var POINTS = 100;

  function isWeighting(stage) {
    return stage === 'weighting' || stage === 'weights closed';
  }

  function formatWeight(weight) {
    return String(Math.round(Number(weight) * 10) / 10) + '%';
  }

  /** The values weighted, in order, with their share as a percentage; read-only. */
  function weightList(values, mine) {
    return h('dl', { className: 'facts weights-list' }, values.map(function (value) {
      return h('div', { className: 'fact' }, [
        h('dt', { text: value.name }),
        h('dd', { className: 'weight-given', text: formatWeight(mine[value.name] || 0) })
      ]);
    }));
  }

  function showWeighting() {
    var s = app.state;
    var w = s.weighting || { values: [], mine: null };
    var open = s.stage === 'weighting';
    // While weighting is open the form is built once, never under the person's hands; once it
    // closes, their saved weights are shown as they are.
    var key = JSON.stringify(['weighting', s.stage, w.values, open ? null : w.mine]);
    if (app.screen === 'weighting' && app.key === key) return;
    app.form = null;
    var heard = JSON.stringify(['weighting', s.stage]);
    if (heard !== app.lastHeard) {
      app.lastHeard = heard;
      announce(open ? 'Weighting is open: weigh the values.' : 'Weighting is closed. Your weights are shown.');
    }
    var nodes = [];
    if (open) {
      app.weights = null;
      nodes.push(heading('Weigh the values'),
        h('p', { className: 'stage stage-scoring', text: 'Weighting open' }),
        h('p', { className: 'lead', text: 'Say how much each value should count when the options are compared. Choose one way to weigh them.' }),
        weightingForm(w.values, w.mine));
    } else {
      app.weights = null;
      nodes.push(heading('Weigh the values'),
        h('p', { className: 'stage stage-closed', text: 'Weighting closed' }),
        notice('info', 'Weighting is closed', w.mine
          ? 'No more weights are taken. Your weights are below; they can no longer be changed.'
          : 'No more weights are taken. You did not send weights.'),
        w.mine ? h('section', { className: 'my-weights', 'aria-labelledby': 'my-weights-heading' }, [
          h('h2', { id: 'my-weights-heading', text: 'Your weights' }),
          weightList(w.values, w.mine)
        ]) : null);
    }
    nodes.push(pageFooter(s));
    show('weighting', key, nodes, open ? 'Weigh the values' : 'Weighting closed');
  }

  function weightingForm(values, mine) {
    var status = h('div', { className: 'save-status', id: 'weights-status', role: 'status', 'aria-live': 'polite' });
    var submit = h('button', { type: 'submit', className: 'button', text: 'Submit weights' });
    var savedArea = h('section', { className: 'my-weights', 'aria-labelledby': 'my-weights-heading', hidden: true });
    var form = { values: values, status: status, button: submit, savedArea: savedArea, saved: null, busy: false,
      kind: '', method: 'swing', order: [], swing: {}, points: {} };

    // The way to weigh: swing weighting (the default) or 100 points.
    var methodName = newId('method');
    function methodChoice(method, label, hint) {
      var id = methodName + '-' + method;
      var radio = h('input', { type: 'radio', name: methodName, id: id, value: method,
        'aria-describedby': id + '-hint', checked: method === 'swing' });
      radio.addEventListener('change', function () { if (radio.checked) chooseMethod(form, method); });
      return h('div', { className: 'choice' }, [
        radio,
        h('div', { className: 'choice-text' }, [
          h('label', { className: 'choice-label', 'for': id, text: label }),
          h('span', { className: 'choice-hint', id: id + '-hint', text: hint })
        ])
      ]);
    }
    var methods = h('fieldset', { className: 'choices' }, [
      h('legend', { className: 'label', text: 'How do you want to weigh them?' }),
      methodChoice('swing', 'Swing weighting', 'Put the values in order, then rate each one.'),
      methodChoice('points', '100 points', 'Share 100 points among the values.')
    ]);

    // Swing weighting: the values in order, each rated against the top one.
    var start = values.map(function (value) { return value.name; });
    if (mine) start.sort(function (a, b) { return (Number(mine[b]) || 0) - (Number(mine[a]) || 0); });
    var topWeight = mine ? Math.max.apply(null, start.map(function (name) { return Number(mine[name]) || 0; })) : 0;
    var byName = {};
    values.forEach(function (value) { byName[value.name] = value; });
    form.list = h('ol', { className: 'swing-list' });
    start.forEach(function (name) {
      var rating = mine && topWeight > 0 ? String(Math.round((Number(mine[name]) || 0) / topWeight * TOP_RATING)) : '';
      form.swing[name] = swingItem(form, byName[name], rating);
      form.order.push(name);
      form.list.appendChild(form.swing[name].element);
    });
    var swingPanel = h('div', { className: 'method-panel', id: 'swing-panel' }, [
      h('h2', { text: 'Swing weighting' }),
      h('p', { text: 'Imagine every value at the bottom of its scale: which move to the top would matter most? ' +
        'Put the swings in order, the one that matters most first, then rate each against the top one, which is 100 ' +
        '(50 means it matters half as much).' }),
      form.list
    ]);

    // 100 points: a number per value, and what is left to share.
    var wholePoints = mine && values.every(function (value) { return Number.isInteger(Number(mine[value.name])); });
    form.left = h('p', { className: 'points-left', id: 'points-left', 'aria-live': 'polite', 'aria-atomic': 'true' });
    var pointsPanel = h('div', { className: 'method-panel', id: 'points-panel', hidden: true }, [
      h('h2', { text: '100 points' }),
      h('p', { text: 'Share 100 points among the values: more points for a value that should count more, 0 for one that should not count.' }),
      h('div', { className: 'points-fields' }, values.map(function (value) {
        var id = newId('points');
        var error = h('p', { className: 'field-error', id: id + '-error', hidden: true });
        var input = h('input', { className: 'input input-number', id: id, type: 'number', inputmode: 'numeric',
          min: '0', max: String(POINTS), step: '1', 'aria-describedby': id + '-error points-left' });
        if (wholePoints) input.value = String(Number(mine[value.name]));
        form.points[value.name] = { input: input, error: error };
        return h('div', { className: 'field field-points' }, [
          h('label', { className: 'label', 'for': id }, [hidden('Points for '), value.name]),
          error,
          input
        ]);
      })),
      form.left
    ]);
    form.panels = { swing: swingPanel, points: pointsPanel };

    var element = h('form', { className: 'weights', novalidate: true, 'aria-label': 'Your weights' }, [
      methods, swingPanel, pointsPanel,
      h('div', { className: 'submit-area' }, [submit, status]),
      savedArea
    ]);
    element.addEventListener('submit', function (event) { event.preventDefault(); submitWeights(form); });
    element.addEventListener('change', function () { weightsEdited(form); });
    element.addEventListener('input', function () { weightsEdited(form); });
    app.weights = form;
    renumber(form);
    pointsLeft(form);
    if (mine) {
      form.saved = weightsSnapshot(form);
      showSavedWeights(form, mine);
      setSaveStatus(form, 'saved', 'Saved', 'Your weights are saved. You can change them and submit again until weighting closes.');
    }
    return element;
  }

  function swingItem(form, value, rating) {
    var id = newId('swing');
    var error = h('p', { className: 'field-error', id: id + '-error', hidden: true });
    var input = h('input', { className: 'input input-number', id: id + '-rating', type: 'number', inputmode: 'numeric',
      min: '0', max: String(TOP_RATING), step: '1', 'aria-describedby': id + '-rating-hint ' + id + '-error' });
    input.value = rating;
    var ratingHint = h('p', { className: 'hint', id: id + '-rating-hint' });
    var rank = h('span', { className: 'swing-rank' });
    var up = h('button', { type: 'button', className: 'button button-secondary',
      'aria-label': 'Move up: ' + value.name, text: 'Move up' });
    var down = h('button', { type: 'button', className: 'button button-secondary',
      'aria-label': 'Move down: ' + value.name, text: 'Move down' });
    up.addEventListener('click', function () { move(form, value.name, -1); });
    down.addEventListener('click', function () { move(form, value.name, 1); });
    var swingWords = value.bottom || value.top
      ? h('p', { className: 'swing-range' }, [
        h('span', { className: 'swing-end' }, [h('strong', { text: 'From: ' }), value.bottom || 'the bottom of its scale']),
        h('span', { className: 'swing-end' }, [h('strong', { text: 'To: ' }), value.top || 'the top of its scale'])
      ])
      : null;
    var element = h('li', { className: 'swing' }, [
      h('div', { className: 'swing-head' }, [
        rank,
        h('h3', { className: 'value-name', id: id + '-name', text: value.name })
      ]),
      value.description ? h('p', { className: 'value-description', text: value.description }) : null,
      swingWords,
      h('div', { className: 'field field-rating' }, [
        h('label', { className: 'label', 'for': id + '-rating' }, ['Rating', hidden(' for ' + value.name)]),
        ratingHint,
        error,
        input
      ]),
      h('div', { className: 'swing-moves' }, [up, down])
    ]);
    return { name: value.name, element: element, input: input, error: error, hint: ratingHint, rank: rank,
      up: up, down: down };
  }

  /** Show each swing's place; the top one is rated 100 and cannot be rated otherwise. */
  function renumber(form) {
    var count = form.order.length;
    form.order.forEach(function (name, index) {
      var item = form.swing[name];
      item.rank.textContent = String(index + 1);
      item.up.disabled = index === 0;
      item.down.disabled = index === count - 1;
      if (index === 0) {
        item.input.value = String(TOP_RATING);
        item.input.readOnly = true;
        item.hint.textContent = 'The swing that matters most is rated 100.';
        showWeightError(item, '');
      } else {
        item.input.readOnly = false;
        item.hint.textContent = 'From 0 to 100, no higher than the one above.';
      }
    });
  }

  function move(form, name, step) {
    var from = form.order.indexOf(name);
    var to = from + step;
    if (from < 0 || to < 0 || to >= form.order.length) return;
    form.order.splice(from, 1);
    form.order.splice(to, 0, name);
    var item = form.swing[name];
    var pressed = step < 0 ? item.up : item.down;
    form.order.forEach(function (n) { form.list.appendChild(form.swing[n].element); });
    renumber(form);
    (pressed.disabled ? (step < 0 ? item.down : item.up) : pressed).focus();
    announce(name + ' moved to ' + (to + 1) + ' of ' + form.order.length + '.');
    weightsEdited(form);
  }

  function chooseMethod(form, method) {
    form.method = method;
    form.panels.swing.hidden = method !== 'swing';
    form.panels.points.hidden = method !== 'points';
    weightsEdited(form);
  }

  function pointsLeft(form) {
    var total = 0;
    Object.keys(form.points).forEach(function (name) {
      var raw = form.points[name].input.value.trim();
      if (/^\d+$/.test(raw)) total += Number(raw);
    });
    var left = POINTS - total;
    form.left.textContent = 'Points left: ' + left;
    form.left.className = 'points-left' + (left < 0 ? ' points-over' : left === 0 ? ' points-done' : '');
  }

  function showWeightError(item, message) {
    item.error.textContent = message;
    item.error.hidden = !message;
    if (message) item.input.setAttribute('aria-invalid', 'true');
    else item.input.removeAttribute('aria-invalid');
    item.input.closest('.field').classList.toggle('field-has-error', !!message);
  }

  /** What would be sent, with a message for each entry that cannot be: {body, problems}. */
  function collectWeights(form) {
    var problems = [];
    if (form.method === 'points') {
      var points = {};
      form.values.forEach(function (value) {
        var item = form.points[value.name];
        var raw = item.input.value.trim();
        if (raw === '') raw = '0';
        if (!/^\d+$/.test(raw) || Number(raw) > POINTS) {
          problems.push({ item: item, message: 'Enter a whole number of points from 0 to 100 for ' + value.name + '.' });
        } else {
          points[value.name] = Number(raw);
        }
      });
      return { body: { method: 'points', points: points }, problems: problems };
    }
    var swings = {};
    var above = null;
    form.order.forEach(function (name, index) {
      var item = form.swing[name];
      var raw = item.input.value.trim();
      if (index === 0) raw = String(TOP_RATING);
      if (!/^\d+$/.test(raw) || Number(raw) > TOP_RATING) {
        problems.push({ item: item, message: 'Rate ' + name + ' with a whole number from 0 to 100.' });
        above = null;
        return;
      }
      var rating = Number(raw);
      if (above && rating > above.rating) {
        problems.push({ item: item, message: name + ' is rated higher than ' + above.name +
          ', which is above it. Move it up or lower its rating.' });
      }
      swings[name] = { rank: index + 1, rating: rating };
      above = { name: name, rating: rating };
    });
    return { body: { method: 'swing', swings: swings }, problems: problems };
  }

  function weightsSnapshot(form) {
    var collected = collectWeights(form);
    var raw = form.method === 'points'
      ? Object.keys(form.points).map(function (name) { return form.points[name].input.value; })
      : form.order.map(function (name) { return [name, form.swing[name].input.value]; });
    return JSON.stringify([form.method, raw, collected.body]);
  }

  function weightsEdited(form) {
    pointsLeft(form);
    var problems = collectWeights(form).problems.map(function (p) { return p.item; });
    Object.keys(form.swing).forEach(function (name) {
      if (problems.indexOf(form.swing[name]) < 0) showWeightError(form.swing[name], '');
    });
    Object.keys(form.points).forEach(function (name) {
      if (problems.indexOf(form.points[name]) < 0) showWeightError(form.points[name], '');
    });
    if (form.kind === 'missing' && !problems.length) { form.kind = ''; form.status.className = 'save-status'; form.status.textContent = ''; }
    if (form.busy || form.saved === null) return;
    var same = weightsSnapshot(form) === form.saved;
    if (!same && (form.kind === 'saved' || form.kind === '')) {
      setSaveStatus(form, 'changed', 'Changes not saved yet', 'Select \u201cSubmit weights\u201d to save your changes.');
    } else if (same && form.kind === 'changed') {
      setSaveStatus(form, 'saved', 'Saved', 'Your weights match what you last submitted.');
    }
  }

  function showSavedWeights(form, weights) {
    form.savedArea.textContent = '';
    append(form.savedArea, [
      h('h2', { id: 'my-weights-heading', text: 'Your saved weights' }),
      h('p', { className: 'hint', text: 'Each value\u2019s share of the total, as the meeting keeps it.' }),
      weightList(form.values, weights)
    ]);
    form.savedArea.hidden = false;
  }

  async function submitWeights(form) {
    if (form.busy) return;
    var collected = collectWeights(form);
    var all = form.method === 'points' ? form.points : form.swing;
    Object.keys(all).forEach(function (name) {
      var problem = collected.problems.filter(function (p) { return p.item === all[name]; })[0];
      showWeightError(all[name], problem ? problem.message : '');
    });
    if (collected.problems.length) {
      setSaveStatus(form, 'missing', 'Not sent', collected.problems.map(function (p) { return p.message; }).join(' '));
      collected.problems[0].item.input.focus();
      return;
    }
    var sent = weightsSnapshot(form);
    form.busy = true;
    form.button.setAttribute('aria-disabled', 'true');
    setSaveStatus(form, 'pending', 'Sending your weights\u2026', '');
    var result = await api('POST', '/api/weights', collected.body, true);
    form.busy = false;
    form.button.removeAttribute('aria-disabled');
    if (result.status === 401) { lostPlace(result.error); return; }
    if (result.ok && result.data && result.data.saved === true) {
      form.saved = sent;
      if (result.data.weights) showSavedWeights(form, result.data.weights);
      if (weightsSnapshot(form) === sent) {
        setSaveStatus(form, 'saved', 'Saved', 'Your weights were saved at ' + clock() +
          '. You can change them and submit again until weighting closes.');
      } else {
        setSaveStatus(form, 'changed', 'Changes not saved yet', 'Your earlier weights were saved; select \u201cSubmit weights\u201d to save your changes.');
      }
    } else {
      setSaveStatus(form, 'error', 'Your weights were not saved', result.error);
    }
    scheduleRefresh(0);
  }

  // -- start -------------------------------------------------------------------------------------

  function start() {
    var fromLink = /[#&]code=([A-Za-z0-9 -]{1,40})/.exec(window.location.hash);
    if (fromLink) {
      app.code = fromLink[1];
      try { window.history.replaceState(null, '', window.location.pathname); } catch (e) { /* no matter */ }
    }
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden && app.token) { scheduleRefresh(0); listen(); }
    });
    if (app.token) {
      showLoading();
      refresh().then(listen);
    } else {
      showJoin();
    }
  }

  start();
}());
