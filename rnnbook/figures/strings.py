"""The words of the chapters' figures in Korean, keyed by their English text.

Every figure module writes its words in English through ``tr`` (a :class:`sliders.i18n.Table`
over this table); the Korean edition's kernels have ``RNNBOOK_LANG=ko`` and get these. A key
with ``{fields}`` is a format template: its Korean text has the same fields. Some keys are
not in the figure code but handed in by a chapter's code cell (condition names, panel
titles): the Korean build fails on any that is missing here, naming it.

Terms follow KO_TERMS.md (the glossary of the Korean edition).
"""

from sliders.i18n import Table

__all__ = ["KO", "tr"]

KO = {
    # --- chapter 1: sequence data ---------------------------------------------------------
    "the series": "시계열",
    "step $t$": "단계 $t$",
    "shuffled": "섞은 계열",
    "original": "원래 계열",
    "autocorrelation": "자기상관",
    "lag $k$": "시차 $k$",
    "autocorrelation after shuffling a fraction $F$ = {f:.2f}": (
        "위치의 비율 $F$ = {f:.2f}만큼 섞은 뒤의 자기상관"
    ),
    "shuffled fraction {f:.2f}": "섞은 비율 {f:.2f}",
    "fraction shuffled": "섞은 비율",
    "Autocorrelation by lag of the sensor series after shuffling a fraction {f} of its "
    "positions, as bars, over the original autocorrelation as a dashed line.": (
        "센서 계열의 위치 중 비율 {f}만큼을 섞은 뒤의 시차별 자기상관을 막대로, "
        "원래 계열의 자기상관을 점선으로 나타낸 그림."
    ),
    "every conditional of every 4-day sequence": "4일짜리 모든 시퀀스의 모든 조건부 확률",
    "transition probability $A_{x_{t-1} x_t}$": "전이 확률 $A_{x_{t-1} x_t}$",
    "$P(x_t \\mid x_1, \\dots, x_{t-1})$, from marginals": (
        "주변 확률로 구한 $P(x_t \\mid x_1, \\dots, x_{t-1})$"
    ),
    "equality": "두 값이 같은 선",
    "one sequence and step": "시퀀스 하나의 한 단계",
    # --- chapter 2: autoregressive models -------------------------------------------------
    "one-step-ahead predictions": "한 단계 예측",
    "time $t$": "시간 $t$",
    "data": "데이터",
    "one-step prediction": "한 단계 예측",
    "end of training data": "학습 데이터의 끝",
    "free-running rollout": "자기 예측을 되먹이는 롤아웃",
    "rollout (own predictions fed back)": "롤아웃 (자기 예측을 되먹임)",
    "$k$-step-ahead predictions (test part)": "$k$단계 예측 (시험 구간)",
    "test error against horizon": "예측 거리에 따른 시험 오차",
    "horizon $k$": "예측 거리 $k$",
    "mean squared error": "평균 제곱 오차",
    "k-step MSE": "k단계 MSE",
    "noise variance 0.04": "잡음 분산 0.04",
    "choosing $\\tau$ on validation data": "검증 데이터로 $\\tau$ 고르기",
    "window $\\tau$": "창 크기 $\\tau$",
    "validation MSE": "검증 MSE",
    "one-step MSE": "한 단계 MSE",
    "AR({tau}), {k} steps ahead: test MSE {mse:.3f}": "AR({tau}), {k}단계 앞: 시험 MSE {mse:.3f}",
    "{k}-step forecast": "{k}단계 예측",
    "window": "창 크기",
    "horizon": "예측 거리",
    "The test part of the noisy sine in grey and the {k}-step-ahead forecast of an "
    "AR({tau}) model fitted on the training part.": (
        "잡음 섞인 사인파의 시험 구간(회색)과, 학습 구간에 맞춘 AR({tau}) 모형의 "
        "{k}단계 예측을 나타낸 그림."
    ),
    # --- chapter 2: the latent autoregressive model (diagrams.py) --------------------------
    "observed values": "관측값",
    "latent states": "잠재 상태",
    "predictions": "예측값",
    "$h_t$ has read $x_1, \\dots, x_{t-1}$ and predicts $x_t$": (
        "$h_t$는 $x_1, \\dots, x_{t-1}$을 읽었고 $x_t$를 예측한다"
    ),
    # --- chapter 3: the RNN cell ----------------------------------------------------------
    "influence of input $x_s$ on $h_{{{N}}}$": "입력 $x_s$가 $h_{{{N}}}$에 미치는 영향",
    "input step $s$": "입력 단계 $s$",
    "training loss, {k} seeds": "학습 손실, 시드 {k}개",
    "epoch": "에포크",
    "cross-entropy (nats per word)": "교차 엔트로피 (단어당 내트)",
    "{name} (median)": "{name} (중앙값)",
    "mean over the epoch": "에포크 평균",
    "perplexity, {k} seeds": "퍼플렉서티, 시드 {k}개",
    "perplexity": "퍼플렉서티",
    "held out": "학습에 쓰지 않은 데이터",
    "training data": "학습 데이터",
    "uniform ({uniform:.0f})": "균등 분포 ({uniform:.0f})",
    "bigram ({bigram:.1f})": "바이그램 ({bigram:.1f})",
    "hidden state $h_t$, word by word ($t$ = {t})": "단어마다의 은닉 상태 $h_t$ ($t$ = {t})",
    "hidden unit": "은닉 유닛",
    "word read": "읽은 단어",
    "next word after '{word}'": "'{word}' 다음 단어",
    "most likely next words": "가능성이 가장 큰 다음 단어",
    "probability": "확률",
    "words read": "읽은 단어 수",
    "Hidden states of the trained RNN up to step t = {t} of the sentence, as a heat map of "
    "words by units, the rows of words not yet read grey, and the model's most likely next "
    "words as bars.": (
        "학습된 RNN이 문장의 단계 t = {t}까지 만든 은닉 상태를 단어와 유닛의 히트맵으로 "
        "(아직 읽지 않은 단어의 행은 회색), 모델이 가장 가능성이 크다고 본 다음 단어를 "
        "막대로 나타낸 그림."
    ),
    "not yet read": "아직 읽지 않음",
    # --- chapter 3: computation graphs (diagrams.py) --------------------------------------
    "delay": "지연",
    "loop view": "순환 형태",
    "the same $W_{xh}$, $W_{hh}$, $W_{hy}$ at every step": (
        "모든 단계에서 같은 $W_{xh}$, $W_{hh}$, $W_{hy}$"
    ),
    "unroll": "펼치기",
    "unrolled view (T = {T})": "펼친 형태 (T = {T})",
    "one to many (captioning)": "일대다 (이미지 캡션 생성)",
    "many to one (sentiment)": "다대일 (감성 분류)",
    "many to many (tagging)": "다대다 (품사 태깅)",
    "encoder-decoder (translation)": "인코더-디코더 (번역)",
    "encoder": "인코더",
    "decoder": "디코더",
    # The tree's leaves, left to right: a noun phrase and a verb phrase in both languages.
    "the dog bit Cheolsu": "그 개가 철수를 물었다",
    "recurrent: chain-shaped": "순환 신경망: 사슬 모양",
    "recursive: tree-shaped": "재귀 신경망: 나무 모양",
    # --- chapter 4: backpropagation through time ------------------------------------------
    "$w_H$ = {w_h:.1f}: sum {total:.3g}": "$w_H$ = {w_h:.1f}: 합 {total:.3g}",
    "$N$ = {N}, $w_H$ = {w_h:.1f}: sum {total:.4g}, finite differences {fd:.4g}": (
        "$N$ = {N}, $w_H$ = {w_h:.1f}: 합 {total:.4g}, 유한 차분 {fd:.4g}"
    ),
    "term $i$": "항 $i$",
    "term $i$ (it has travelled $i - 1$ recurrent steps)": (
        "항 $i$ (순환 단계를 $i - 1$번 거쳐 온 항)"
    ),
    "sequence length": "시퀀스 길이",
    "recurrent weight": "순환 가중치",
    "Bars of the $N$ = {N} terms of the closed-form derivative of $h_N$ with respect to "
    "$w_H$, for $w_H$ = {w_h}; the title gives their sum and the finite-difference value.": (
        "$w_H$ = {w_h}일 때 $h_N$을 $w_H$로 미분한 닫힌 형태의 $N$ = {N}개 항을 막대로 "
        "나타낸 그림. 제목에 항들의 합과 유한 차분 값이 있다."
    ),
    "radius {radius}, sliding": "반지름 {radius}, 손실마다 잘라냄",
    "radius {radius}, window": "반지름 {radius}, 창 단위로 자름",
    "bias of truncated BPTT (T = {T})": "절단된 BPTT의 편향 (T = {T})",
    "truncation horizon $k$": "절단 길이 $k$",
    "relative error of $\\mathrm{d}W_{hh}$": "$\\mathrm{d}W_{hh}$의 상대 오차",
    "time": "시간",
    "work": "작업량",
    "multiply-adds": "곱셈-덧셈 횟수",
    "hidden units $H$ (log scale)": "은닉 유닛 수 $H$ (로그 눈금)",
    "seconds": "초",
    "peak memory": "최대 메모리",
    "bytes": "바이트",
    # --- chapter 5: vanishing and exploding gradients -------------------------------------
    "vanishing ($|w_H| < 1$)": "소실 ($|w_H| < 1$)",
    "neutral ($|w_H| = 1$)": "중립 ($|w_H| = 1$)",
    "exploding ($|w_H| > 1$)": "폭발 ($|w_H| > 1$)",
    "steps back $k$": "거슬러 간 단계 수 $k$",
    "neutral $|w_H| = 1$": "중립 $|w_H| = 1$",
    "$|w_H|^k$ (floor $10^{-12}$)": "$|w_H|^k$ (하한 $10^{-12}$)",
    "terms of $\\mathrm{{d}}h_T/\\mathrm{{d}}w_H$, $T$ = {T}": (
        "$\\mathrm{{d}}h_T/\\mathrm{{d}}w_H$의 항, $T$ = {T}"
    ),
    "term $i$ ($i - 1$ steps back); floor $10^{-12}$": "항 $i$ ($i - 1$단계 전); 하한 $10^{-12}$",
    "Left: $|w_H|^k$ against the number of steps back $k$ on a log axis, for $w_H$ = {w_h} "
    "and $T$ = {T}, with a dashed line at 1. Right: the magnitudes of the $T$ = {T} terms "
    "of the closed-form derivative of $h_T$ with respect to $w_H$, as bars shaded by how "
    "many steps each term has travelled, near ones dark and far ones light.": (
        "왼쪽: $w_H$ = {w_h}, $T$ = {T}일 때 거슬러 간 단계 수 $k$에 따른 $|w_H|^k$를 로그 "
        "축에 그리고 1에 점선을 그었다. 오른쪽: $h_T$를 $w_H$로 미분한 닫힌 형태의 "
        "$T$ = {T}개 항의 크기를 막대로 나타냈다. 막대의 색은 각 항이 거쳐 온 단계 수를 "
        "나타내며, 가까운 항은 진하고 먼 항은 옅다."
    ),
    "$m$ = {scale:.1f}, $w_H$ = {w_h:.1f}: mean $\\tanh$ slope {slope:.3f}": (
        "$m$ = {scale:.1f}, $w_H$ = {w_h:.1f}: $\\tanh$ 도함수의 평균 {slope:.3f}"
    ),
    "linear cell $|w_H|^k$": "선형 셀 $|w_H|^k$",
    "tanh cell (floor $10^{-30}$)": "tanh 셀 (하한 $10^{-30}$)",
    "per-step factor": "단계마다의 인수",
    "input scale": "입력 크기",
    "Left: on a log axis, the product of the tanh cell's per-step factors over the last "
    "$k$ steps for input scale $m$ = {scale} and $w_H$ = {w_h}, against the dashed "
    "linear-cell line $|w_H|^k$. Right: each step's factor $|w_H| (1 - h_t^2)$, under a "
    "dashed line at $|w_H|$.": (
        "왼쪽: 입력 크기 $m$ = {scale}, $w_H$ = {w_h}일 때 tanh 셀의 마지막 $k$단계 인수의 "
        "곱을 로그 축에 그리고, 선형 셀의 $|w_H|^k$를 점선으로 함께 그렸다. 오른쪽: 단계마다의 "
        "인수 $|w_H| (1 - h_t^2)$와 $|w_H|$ 높이의 점선."
    ),
    "$\\rho^k$ (linear)": "$\\rho^k$ (선형)",
    "tanh cell, measured (floor $10^{-20}$)": "tanh 셀, 측정값 (하한 $10^{-20}$)",
    "spectral radius": "스펙트럼 반지름",
    "On a log axis, the norm of the gradient of a loss on the last state reaching the "
    "state $k$ steps earlier, for a tanh RNN with $W_{{hh}}$ of spectral radius {radius}, "
    "against the dashed linear prediction $\\rho^k$ and a line at 1.": (
        "스펙트럼 반지름이 {radius}인 $W_{{hh}}$를 쓰는 tanh RNN에서, 마지막 상태에 걸린 손실의 "
        "기울기가 $k$단계 앞의 상태에 닿을 때의 노름을 로그 축에 그린 그림. 점선은 선형 "
        "예측 $\\rho^k$, 가로선은 1이다."
    ),
    "tanh RNN, {n} random $W_{{hh}}$ per $\\rho$: median and middle 80% (solid), "
    "$\\rho^k$ (dashed)": (
        "tanh RNN, $\\rho$마다 무작위 $W_{{hh}}$ {n}개: 중앙값과 가운데 80% (실선), "
        "$\\rho^k$ (점선)"
    ),
    "$\\|\\partial L/\\partial h_{T-k}\\|$ (floor 1e-30)": (
        "$\\|\\partial L/\\partial h_{T-k}\\|$ (하한 1e-30)"
    ),
    "{cell}, one dot per seed": "{cell}, 시드마다 점 하나",
    "{cell}, median": "{cell}, 중앙값",
    "chance 1/{V}": "우연 수준 1/{V}",
    "Recall accuracy against the lag ({n} seeds)": "시차에 따른 회상 정확도 (시드 {n}개)",
    "lag $k$ (steps)": "시차 $k$ (단계)",
    "test accuracy": "시험 정확도",
    "{cell}: median": "{cell}: 중앙값",
    "forget gates $\\prod f$": "망각 게이트 $\\prod f$",
    "update gates $\\prod z$": "갱신 게이트 $\\prod z$",
    "steps back $j$": "거슬러 간 단계 수 $j$",
    "$|\\partial L/\\partial x_{T-j}|$ relative to $j = 0$": (
        "$j = 0$일 때에 대한 $|\\partial L/\\partial x_{T-j}|$의 비"
    ),
    "before training": "학습 전",
    "after training": "학습 후",
    "{cell}: gradient norm before clipping ({n} seeds)": (
        "{cell}: 클리핑 전의 기울기 노름 (시드 {n}개)"
    ),
    "training step": "학습 단계",
    "global gradient norm": "전체 기울기 노름",
    "10-90% of seeds": "시드의 10-90%",
    "median": "중앙값",
    "clipped steps ({n})": "클리핑된 단계 ({n})",
    "threshold $\\theta = {threshold:g}$": "문턱값 $\\theta = {threshold:g}$",
    "start": "시작점",
    "Descent on the cliff": "절벽에서의 경사 하강",
    # Handed in by chapter 5's code cells: the remedies' panels and conditions, the
    # initialisations of W_hh (rnnbook.experiments.remedies) and the cliff's descents.
    "clipping, lag 20": "클리핑, 시차 20",
    "clipped": "클리핑함",
    "not clipped": "클리핑 안 함",
    "truncation, lag 10": "절단, 시차 10",
    "full": "전체 BPTT",
    "window 5": "창 5",
    "start of $W_{hh}$, lag 15": "$W_{hh}$의 초기화, 시차 15",
    "random": "무작위",
    "identity": "단위 행렬",
    "orthogonal": "직교 행렬",
    "plain": "그대로",
    "by norm": "노름 클리핑",
    "element-wise": "원소별 클리핑",
}

tr = Table(ko=KO)
