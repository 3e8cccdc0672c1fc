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
  },
}
