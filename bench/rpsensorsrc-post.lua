-- wrk script: valid sensor-stream readings for 100 devices, in turn.
local bodies = {}
for i = 0, 99 do
  bodies[i] = string.format(
    '{"device_id":"02:00:00:00:00:%02X","accel_x":0.5,"accel_y":0.3,' ..
    '"accel_z":9.8,"gyro_x":0.1,"gyro_y":0.2,"gyro_z":-0.05,' ..
    '"uptime_ms":%d,"heart_rate":72,"spo2":98,"battery_level":85.0}', i, i)
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, "/api/device/sensor-stream", nil, bodies[n % 100])
end
