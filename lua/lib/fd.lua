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

-- Catalog A.1 P6, the script helpers.  Each changes the world only through
-- w:set / w:ramp, on the sim clock (w:after), so runs stay deterministic.

-- Set path to val for secs, then put back what was there.
function fd.pulse(w, path, val, secs)
  local old = w:get(path)
  w:set(path, val)
  w:after(secs, function() w:set(path, old) end)
end

-- Climb from lo to hi over period seconds, drop back, and repeat, times
-- times (forever when nil).
function fd.sawtooth(w, path, lo, hi, period, times)
  if times ~= nil and times <= 0 then return end
  w:set(path, lo)
  w:ramp(path, lo, hi, period)
  w:after(period, function()
    fd.sawtooth(w, path, lo, hi, period, times and times - 1)
  end)
end

-- n windows of random length (len_min..len_max s) starting at random
-- times within the next horizon seconds; on_start(w) and on_end(w) run at
-- their edges.  Draws come from the game's seeded PRNG.
function fd.random_windows(w, n, len_min, len_max, horizon, on_start, on_end)
  for _ = 1, n do
    local start = math.random() * horizon
    local len = len_min + math.random() * (len_max - len_min)
    w:after(start, function()
      on_start(w)
      w:after(len, function() on_end(w) end)
    end)
  end
end
