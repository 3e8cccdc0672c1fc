-- Author helpers shared by every incident, loaded before the incident in
-- the same sandbox.  Sugar only: everything here is built on the world
-- API (w:set, w:get, w:ramp …) that C provides.

-- Durations in seconds.
function fd.minutes(n) return n * 60 end
function fd.hours(n) return n * 3600 end

-- A trigger that can be undone: remembers the values it replaced so a
-- probe can put the world back exactly as it found it.
function fd.saved(w, paths)
  local saved = {}
  for _, p in ipairs(paths) do saved[p] = w:get(p) end
  return function()
    for _, p in ipairs(paths) do w:set(p, saved[p]) end
  end
end

-- True when the edge's breaker is open, pinned or automatic.
function fd.breaker_open(w, edge)
  return w:get("edge." .. edge .. ".breaker_state") == 1
end

-- True when the edge has the automatic policy and is not pinned.
function fd.breaker_auto(w, edge)
  return w:get("edge." .. edge .. ".breaker") == 1 and
         w:get("edge." .. edge .. ".breaker_pin") == 0
end
