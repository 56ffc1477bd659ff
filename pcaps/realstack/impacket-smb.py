#!/usr/bin/python3
"""Generates impacket-smb2.pcap and impacket-smb1.pcap: Debian's python3-impacket SMB server and client talking over
the loopback interface on TCP 445, captured with tcpdump. The differential test compares vigil's decode of them with
tshark's (io.vigil.sensor.app.SmbDecodeVersusTsharkTest), so no expected output is stored.

Run as root from the repository root:  apt-get install python3-impacket tcpdump; /usr/bin/python3 pcaps/realstack/impacket-smb.py
"""
import os
import subprocess
import sys
import tempfile
import threading
import time

from impacket import smbserver
from impacket.smbconnection import SMBConnection
from impacket.smb import SMB_DIALECT
from impacket.smb3structs import SMB2_DIALECT_002, SMB2_DIALECT_21

HERE = os.path.dirname(os.path.abspath(__file__))


def serve(share_dir):
    server = smbserver.SimpleSMBServer(listenAddress='127.0.0.1', listenPort=445)
    server.addShare('DATA', share_dir, 'recipes')
    server.setSMB2Support(True)
    server.addCredential('operator', 1000, 'aad3b435b51404eeaad3b435b51404ee', '31d6cfe0d16ae931b73c59d7e0c089c0')
    server.setSMBChallenge('')
    threading.Thread(target=server.start, daemon=True).start()


def session(dialect, tag):
    c = SMBConnection('127.0.0.1', '127.0.0.1', sess_port=445, preferredDialect=dialect)
    c.login('operator', '', 'PLANT')
    tid = c.connectTree('DATA')
    c.listPath('DATA', '*')
    fid = c.createFile(tid, 'batch-42.csv')
    c.writeFile(tid, fid, b'setpoint,72.5\n' * 20, 0)
    c.closeFile(tid, fid)
    fid = c.openFile(tid, 'batch-42.csv')
    c.readFile(tid, fid, 0, 100)
    c.closeFile(tid, fid)
    c.createDirectory('DATA', 'archive-' + tag)
    c.deleteFile('DATA', 'batch-42.csv')
    c.disconnectTree(tid)
    c.logoff()
    c.close()


def capture(name, dialect):
    pcap = os.path.join(HERE, name)
    dump = subprocess.Popen(['tcpdump', '-i', 'lo', '-U', '-s', '0', '-w', pcap, 'tcp port 445'],
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        session(dialect, name.split('.')[0])
        time.sleep(1.5)
    finally:
        dump.terminate()
        dump.wait()
    print(name, os.path.getsize(pcap), 'bytes')


if __name__ == '__main__':
    share = tempfile.mkdtemp()
    with open(os.path.join(share, 'readme.txt'), 'w') as f:
        f.write('line 7 recipes\n')
    serve(share)
    time.sleep(1)
    capture('impacket-smb2.pcap', SMB2_DIALECT_21)
    capture('impacket-smb1.pcap', SMB_DIALECT)
    sys.exit(0)
