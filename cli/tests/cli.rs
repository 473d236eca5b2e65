//! The `libvirt-xml` tool run as a user runs it: a process with arguments, standard input,
//! output, error and exit status, on the corpus of libvirt's test suite.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// Corpus files (relative to `tests/corpus`) whose xmllint verdict is `status`.
fn corpus_files(status: &str) -> Vec<String> {
    let tsv = std::fs::read_to_string(corpus().join("../corpus.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[2] == status).then(|| f[0].to_string())
        })
        .collect()
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_libvirt-xml"))
        .args(args)
        .current_dir(corpus())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or("").to_string();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const DOMAIN: &str = "tests/qemuxmlconfdata/x86_64-q35-headless.x86_64-latest.xml";

#[test]
fn validate_passes_every_valid_corpus_file() {
    let files = corpus_files("valid");
    let mut args = vec!["validate", "--quiet"];
    args.extend(files.iter().map(String::as_str));
    let out = run(&args, None);
    assert_eq!(stdout(&out), "", "problems reported for valid files");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    println!("{} valid files: exit 0, nothing reported", files.len());
}

#[test]
fn validate_catches_every_invalid_corpus_file_and_says_where() {
    let mut files = corpus_files("invalid");
    files.extend(corpus_files("unparsable"));
    assert!(files.len() > 50);
    for file in &files {
        let out = run(&["validate", file], None);
        assert_eq!(out.status.code(), Some(1), "{file}: {}", stderr(&out));
        let report = stdout(&out);
        // `file:line:column: message at /path` on every line.
        for line in report.lines() {
            let rest =
                line.strip_prefix(&format!("{file}:")).unwrap_or_else(|| panic!("{file}: {line}"));
            let mut parts = rest.splitn(3, ':');
            let (l, c) = (parts.next().unwrap(), parts.next().unwrap());
            assert!(l.parse::<u32>().unwrap() > 0, "{line}");
            assert!(c.parse::<u32>().unwrap() > 0, "{line}");
        }
        assert!(!report.is_empty(), "{file}: nothing reported");
        assert!(stderr(&out).contains("0 valid, 1 invalid"), "{file}");
    }
    println!("{} invalid or unparsable files: each exit 1 with line:column", files.len());
}

#[test]
fn validate_reports_json_for_scripts() {
    let bad = "tests/qemuxmlconfdata/boot-menu-enable-with-timeout-invalid.xml";
    let out = run(&["validate", "--format", "json", DOMAIN, bad], None);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["file"], bad);
    assert_eq!(lines[1]["valid"], false);
    let problem = &lines[1]["problems"][0];
    assert_eq!(problem["path"], "/domain/os/bootmenu");
    assert!(problem["line"].as_u64().unwrap() > 0);
    assert!(problem["message"].as_str().unwrap().contains("65536"));
}

#[test]
fn a_missing_file_is_exit_2_on_standard_error() {
    let out = run(&["validate", DOMAIN, "no/such/file.xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("no/such/file.xml: No such file"));
    assert!(stderr(&out).contains("1 unreadable"));
    let out = run(&["fmt", "no/such/file.xml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("libvirt-xml: no/such/file.xml: "));
}

#[test]
fn malformed_input_is_an_error_with_its_position() {
    let out = run(&["fmt", "-"], Some("<domain type='kvm'>\n  <name>x</nam>\n</domain>\n"));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("malformed XML") && err.contains("line 2"), "{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn fmt_writes_libvirt_layout_and_keeps_libvirt_output_as_is() {
    let libvirt_written = std::fs::read_to_string(corpus().join(DOMAIN)).unwrap();
    let out = run(&["fmt", DOMAIN], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), libvirt_written);
    assert_eq!(run(&["fmt", "--check", DOMAIN], None).status.code(), Some(0));

    // Hand-written layout, a comment and an unknown element: laid out, nothing dropped.
    let messy = "<domain type='kvm'><name>vm</name><!-- keep --><memory>1</memory>\
                 <x:y xmlns:x='urn:x' a='1'/></domain>";
    let dir = std::env::temp_dir().join(format!("libvirt-xml-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("messy.xml");
    std::fs::write(&file, messy).unwrap();
    let path = file.to_str().unwrap();
    let check = run(&["fmt", "--check", path], None);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check).trim(), path);
    assert_eq!(run(&["fmt", "-i", path], None).status.code(), Some(0));
    let formatted = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        formatted,
        "<domain type='kvm'>\n  <name>vm</name>\n  <!-- keep -->\n  <memory>1</memory>\n  \
         <x:y xmlns:x='urn:x' a='1'/>\n</domain>\n"
    );
    assert_eq!(run(&["fmt", "--check", path], None).status.code(), Some(0));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn json_there_and_back_gives_the_same_document() {
    let files = [
        DOMAIN,
        "tests/networkxml2xmlin/nat-network.xml",
        "tests/storagepoolxml2xmlin/pool-dir.xml",
        "tests/capabilityschemadata/caps-test.xml",
    ];
    for file in files {
        let json = run(&["to-json", file], None);
        assert_eq!(json.status.code(), Some(0), "{file}: {}", stderr(&json));
        let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(value.as_object().unwrap().len(), 1, "{file}: one root key");
        let back = run(&["from-json", "-"], Some(&stdout(&json)));
        assert_eq!(back.status.code(), Some(0), "{file}: {}", stderr(&back));
        let formatted = run(&["fmt", file], None);
        assert_eq!(stdout(&back), stdout(&formatted), "{file}");
    }
    // A hot-plug device snippet goes there and back too.
    let disk = "<disk type='file' device='disk'><source file='/a.img'/>\
                <target dev='vdb' bus='virtio'/></disk>";
    let json = run(&["to-json", "-"], Some(disk));
    assert!(stdout(&json).starts_with("{\"disk\":"), "{}", stdout(&json));
    let back = run(&["from-json", "--device", "-"], Some(&stdout(&json)));
    assert!(stdout(&back).contains("<target dev='vdb' bus='virtio'/>"));
}

#[test]
fn kind_tells_documents_and_devices() {
    let disk = "tests/qemuhotplugtestdevices/qemuhotplug-ccw-virtio-2.xml";
    let out = run(&["kind", DOMAIN, disk], None);
    assert_eq!(stdout(&out), format!("{DOMAIN}: domain document\n{disk}: disk device\n"));
    let iface = "<interface type='network'><source network='default'/></interface>";
    let out = run(&["kind", "--device", "-"], Some(iface));
    assert_eq!(stdout(&out), "-: interface device\n");
    let out = run(&["kind", "-"], Some("<nothing/>"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("expected root element"), "{}", stderr(&out));
    let roots = stdout(&run(&["roots"], None));
    assert!(roots.contains("document\tdomain\n") && roots.contains("device\tdisk\n"));
}
