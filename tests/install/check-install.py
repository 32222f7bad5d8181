#!/usr/bin/python3
# Installs the build into a temporary staging tree (meson install --destdir)
# and checks that what a user gets works with only GST_PLUGIN_PATH and PATH
# set: every plugin loads (none blacklisted) and registers its elements, each
# finds the installed libgstsensor-1.0 (not the build tree's), and the
# installed tools run. With GstSensor-1.0.typelib installed, Python imports it
# from the staging tree too.
#
#   check-install.py MESON BUILD_ROOT PREFIX LIBDIR BINDIR MANIFEST PLUGIN...
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

meson, build_root, prefix, libdir, bindir, manifest = sys.argv[1:7]
plugins = sys.argv[7:]
failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL: ' + msg)


def run(cmd, env, **kw):
    print('$ ' + ' '.join(cmd))
    return subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=120, **kw)


tmp = tempfile.mkdtemp(prefix='sensor-install-')
try:
    inst = subprocess.run([meson, 'install', '-C', build_root, '--no-rebuild',
                           '--destdir', tmp], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    if inst.returncode != 0:
        print(inst.stdout)
        sys.exit('meson install failed')

    root = tmp + prefix
    lib = os.path.join(root, libdir)
    plugin_dir = os.path.join(lib, 'gstreamer-1.0')
    bin_dir = os.path.join(root, bindir)
    # A clean environment: nothing of the caller's, no LD_LIBRARY_PATH.
    env = {
        'PATH': bin_dir + ':/usr/bin:/bin',
        'GST_PLUGIN_PATH': plugin_dir,
        'GST_REGISTRY': os.path.join(tmp, 'registry.bin'),
    }

    with open(manifest) as f:
        elements = {name: sorted(p['elements']) for name, p in json.load(f).items()}

    # Each installed module resolves libgstsensor-1.0 inside the staging tree.
    installed = [os.path.join(plugin_dir, 'libgst%s.so' % p) for p in plugins]
    installed += [os.path.join(bin_dir, t) for t in
                  ('sensor-cloud', 'sensor-summary', 'sensor-manifest')]
    for path in installed:
        if not os.path.exists(path):
            fail('not installed: ' + path)
            continue
        out = run(['ldd', path], env).stdout
        for line in out.splitlines():
            if 'not found' in line:
                fail('%s: %s' % (path, line.strip()))
            if 'libgstsensor-1.0' in line and tmp not in line:
                fail('%s: libgstsensor not from the install: %s'
                     % (path, line.strip()))

    out = run(['gst-inspect-1.0', '-b'], env).stdout
    for p in plugins:
        if 'libgst%s.so' % p in out:
            fail('plugin %s is blacklisted:\n%s' % (p, out))
    for p in plugins:
        res = run(['gst-inspect-1.0', p], env)
        if res.returncode != 0:
            fail('gst-inspect-1.0 %s: exit %d\n%s' % (p, res.returncode, res.stdout))
            continue
        if 'Filename                 %s/libgst%s.so' % (plugin_dir, p) not in res.stdout:
            fail('plugin %s not loaded from %s:\n%s' % (p, plugin_dir, res.stdout))
        for e in elements.get(p, []):
            if '  %s:' % e not in res.stdout:
                fail('plugin %s does not list %s:\n%s' % (p, e, res.stdout))
            el = run(['gst-inspect-1.0', e], env)
            if el.returncode != 0:
                fail('gst-inspect-1.0 %s: exit %d' % (e, el.returncode))

    # The installed tools, found through PATH.
    if 'sensor' in plugins:
        res = run(['sensor-summary', '--duration', '5',
                   'sensortestsrc', 'modality=acc_3axis', 'num-buffers=10', '!',
                   'fakesink', 'name=acc'], env)
        if res.returncode != 0 or 'acc' not in res.stdout:
            fail('sensor-summary: exit %d\n%s' % (res.returncode, res.stdout))
        else:
            print(res.stdout)
    man = os.path.join(tmp, 'plugins.json')
    res = run(['sensor-manifest', man], env)
    if res.returncode != 0:
        fail('sensor-manifest: exit %d\n%s' % (res.returncode, res.stdout))
    else:
        with open(man) as f:
            got = json.load(f)
        for p in plugins:
            if sorted(got.get(p, {}).get('elements', {})) != elements.get(p):
                fail('sensor-manifest: plugin %s: %s' % (p, got.get(p)))
    print('$ sensor-cloud --port 0 --helios-port 0')
    cloud = subprocess.Popen(['sensor-cloud', '--port', '0', '--helios-port', '0'],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    line = cloud.stdout.readline()
    try:
        announce = json.loads(line)
    except ValueError:
        announce = {}
    cloud.send_signal(signal.SIGTERM)
    _, err = cloud.communicate(timeout=30)
    if announce.get('part') != 'http' or not announce.get('port'):
        fail('sensor-cloud: no announce line: %r %s' % (line, err))
    elif cloud.returncode != 0:
        fail('sensor-cloud: exit %d after SIGTERM: %s' % (cloud.returncode, err))
    else:
        print(line.strip())

    typelib = os.path.join(lib, 'girepository-1.0', 'GstSensor-1.0.typelib')
    if os.path.exists(typelib):
        pyenv = dict(env, GI_TYPELIB_PATH=os.path.dirname(typelib),
                     LD_LIBRARY_PATH=lib)
        res = run(['/usr/bin/python3', '-c',
                   "import gi; gi.require_version('GstSensor', '1.0'); "
                   "from gi.repository import GstSensor; "
                   "print(gi.Repository.get_default().get_typelib_path("
                   "'GstSensor'), GstSensor.sensor_format_to_string("
                   "GstSensor.SensorFormat.S24LE))"], pyenv)
        if res.returncode != 0 or 'S24LE' not in res.stdout or typelib not in res.stdout:
            fail('python GstSensor from the install: %s' % res.stdout)
        else:
            print(res.stdout)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    sys.exit('%d failure(s)' % len(failures))
print('install into a temporary prefix: %d plugins and 3 tools work' % len(plugins))
