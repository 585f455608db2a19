#!/bin/sh
# The plain chain a user would script for the same editions, one language after another:
# pandoc → HTML → the `weasyprint` command (PDF); pandoc → EPUB; pandoc → HTML.
# No checks, no fonts of our own, no break opportunities: the baseline of `make bench`.
#   sh bench/plain_chain.sh CONTENT_DIR OUTPUT_DIR
set -e
content=$1
out=$2
bin=$(dirname "$0")/../.venv/bin
pandoc=$("$bin/python" -c "import pypandoc; print(pypandoc.get_pandoc_path())")
for lang in en vi km; do
    mkdir -p "$out/$lang"
    "$pandoc" -f markdown -s --metadata title="$lang" --metadata lang="$lang" \
        -o "$out/$lang/page.html" "$content/$lang"/*.md
    "$bin/weasyprint" "$out/$lang/page.html" "$out/$lang/article.pdf"
    "$pandoc" -f markdown --metadata title="$lang" --metadata lang="$lang" \
        -o "$out/$lang/article.epub" "$content/$lang"/*.md
    "$pandoc" -f markdown -s --metadata title="$lang" --metadata lang="$lang" \
        -o "$out/$lang/index.html" "$content/$lang"/*.md
done
