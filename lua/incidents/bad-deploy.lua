-- §4.4 Deployment causes outage (bad deploy).
--
-- Teaches: when errors start with a deploy, roll back (or flip the flag)
-- first and investigate later; then make the next bad build stop itself
-- with a canary and automatic rollback.
-- Trap: debugging the stack trace for ten minutes while half of all
-- product pages fail.
local restore_probe

return {
  api = 1,
  id = "bad-deploy",
  section = "4.4",
  title = "Deployment Causes Outage (Bad Deploy)",
  difficulty = 1,
  severity = "P1",
  clock = "2025-09-02T11:00:00",
  platform = "shopco",
  briefing = [[
Tuesday, 11:00. The product team ships v2.14.0 of the product service
this morning: a new variant picker, enabled by default. Deploys go to
every pod at once; there is no canary. You are on call.]],

  world = function(w)
    w:flag{ name = "new_variant_picker", svc = "product", on = false,
            desc = "the v2.14.0 variant picker" }
    -- The regression: products with variant = NULL (production-only
    -- data, about half of all pages) throw in the new picker.
    w:fault{ svc = "product", class = "page", version = "v2.14.0",
             flag = "new_variant_picker", error_pct = 50 }
    -- The probe's bad build, used only once the fix is in.
    w:fault{ svc = "product", class = "page", version = "v2.15.0", error_pct = 50 }
  end,

  events = {
    { at = 60, note = "product v2.14.0 rolls out to every pod",
      run = function(w)
        w:set_flag("new_variant_picker", true)
        w:change{ at_s = 60, who = "product-team", target = "new_variant_picker",
                  text = "flag new_variant_picker default=on (ships with v2.14.0)" }
        w:deploy("product", "v2.14.0", 60)
      end },
    { at = 121, run = function(w)
        w:log("deploy", "INFO", "11:01:00 product v2.14.0 rollout 20/20 complete (canary: disabled; flag new_variant_picker default=on)")
      end },
  },

  logs = {
    { when = 'svc_error_ratio_pct{svc="product"} > 1', src = "product", level = "ERROR", every_s = 2,
      line = 'GET /products/{rand:1000-9999} 500 java.lang.NullPointerException: Cannot invoke "Variant.getSku()" because "p.variant" is null at VariantPicker.render(VariantPicker.java:88)' },
    { src = "product", level = "INFO", every_s = 5,
      line = "GET /products/{rand:1000-9999} 200 {rand:9-20}ms" },
  },

  relevant_alerts = { "ALRT-ERR" },
  root_cause = "regression-in-deploy",
  near_miss = {
    { id = "client-render-bug",
      why = "the stack trace is server-side, and it started with a deploy: what changed?" },
  },
  decoys = { "db-issue", "traffic-spike", "cache-miss" },

  slo = { 'gw_error_ratio_pct{route="GET /products/:id"} < 1' },
  hold_s = 120,

  mitigated = function(w)
    local v, to = w:get_str("svc.product.version"), w:get_str("svc.product.to_version")
    return w:get("flag.new_variant_picker") == 0
        or (v ~= "v2.14.0" and to ~= "v2.14.0")
  end,

  -- The fix shipped through a canary, and canaries guard the next deploy.
  fixed = function(w)
    return w:get_str("svc.product.version") == "v2.14.1"
       and w:get_str("svc.product.strategy") == "canary"
       and w:get("svc.product.canary.rollback_err_pct") > 0
       and w:get("svc.product.canary.rollback_err_pct") <= 1
  end,

  probe = {
    after_fix_s = 30, duration_s = 180,
    run = function(w)
      w:log("ci", "INFO", "product v2.15.0 merged and deploying (canary)")
      w:deploy("product", "v2.15.0", 60)
    end,
    -- The canary must stop the bad build on its own.
    passed = function(w)
      return w:get_str("svc.product.version") == "v2.14.1"
         and w:get_str("svc.product.rollout") == "none"
    end,
  },

  patches = {
    ["null-variant-guard"] = { svc = "product", version = "v2.14.1", build_s = 600,
      rollout_s = 60, desc = "skip the picker when a product has no variant" },
  },

  classify = {
    works = { "rollback product", "flag off new_variant_picker",
              "deploy product null-variant-guard" },
    harmful = {
      { match = "restart product*", class = "useless",
        why = "restarted pods run the same v2.14.0" },
      { match = "scale product *", class = "useless",
        why = "more pods of a broken build fail the same way" },
      { match = "rollback search", class = "useless",
        why = "search has not changed today" },
    },
  },

  hints = {
    "The errors started at one moment. What changed just before?",
    "changes and show svc product (errors by version) point at it.",
    "product v2.14.0 is broken: regression-in-deploy; roll back or turn its flag off.",
  },

  lose = { budget_pct = 50, unmitigated_s = 1800 },

  postmortem = {
    prevention = {
      "Canary deploys: 1 server, 10 min bake, then 5, 25, 50, 100%",
      "Automatic rollback on error rate above 1% or p99 above 2x",
      "Blue-green deploys for instant rollback",
      "New features behind flags that default to off",
      "Backward-compatible schema changes (expand, migrate, contract)",
    },
    root_cause = {
      systemic = "Deploys went to every pod at once with the new feature on and no canary or automatic rollback",
      symptom  = "Half of all product pages returned 500 right after the deploy",
      wrong    = "Product data in the database was corrupt and broke the pages",
      blame    = "The product developer was careless and forgot products can have no variant",
    },
    distractors = {
      "Require a second reviewer on every product pull request",
      "Restart product pods automatically when their error rate rises",
      "Freeze product deploys for a month",
    },
    monitors = {
      { text = "Error rate above 1% per service (and per version)",
        match = { "enable alert *error_ratio_pct*", "enable alert ALRT-ERR" } },
      { text = "p99 latency above twice its baseline",
        match = { "enable alert *latency_p99_ms*", "enable alert ALRT-P99" } },
    },
    card = {
      symptom    = "Right after a deploy the error rate jumps from 0.1% to 50% and users see errors.",
      root_cause = "The new build has a bug that only shows in production, where config, data or traffic differ from staging.",
      solution   = "Roll back (or turn the feature flag off) at once, and investigate afterwards.",
      prevention = "Canary deploys with a bake time, automatic rollback on errors above 1% or p99 above 2x, blue-green, features behind flags, and expand-migrate-contract schema changes.",
    },
  },

  signals = {
    -- The change log shows the deploy and the flag: the root cause here.
    components = { "product", "v2.14", "new_variant_picker", "changes" },
    scope = { "product", "/products" },
    fix_work = { "deploy product *", "set deploy.product.*" },
    recent_change = { "flag off new_variant_picker", "rollback product" },
    isolating = { "flag off new_variant_picker", "rollback product" },
    global = { "restart *", "scale *", "ratelimit gw:*" },
  },

  expert = [[
# An expert response to §4.4: acknowledge, correlate with changes, turn
# the new feature off at once (5 s), then ship the forward fix through a
# canary that rolls back bad builds by itself.
2:02 ack ALRT-ERR
2:10 changes --since 1h
2:15 show svc product
2:20 logs product -g ERROR -n 5
2:25 flag off new_variant_picker
2:30 diagnose regression-in-deploy
2:35 note turned new_variant_picker off: v2.14.0 throws on products without a variant
3:00 show overview
3:30 set deploy.product.strategy canary 1srv,5,25,50,100 bake=1m auto_rollback="err>1%"
3:40 deploy product null-variant-guard
3:45 note forward fix null-variant-guard building; canary with automatic rollback from now on
]],
}
