"""The Korean words of the ledger's checks, keyed by the English they print (see words.py).

``DOCS``: the first paragraph of each check's docstring (what it compares). ``MESSAGES``: what
each passing check prints in a build. A check whose docstring or message changes needs its
new text here, or the Korean ledger page fails to build, naming it
(tests/book/test_ledger.py::test_equation_check checks every entry without a build).
Terms follow ko/glossary.md.
"""

# A table of one-line texts reads better with each on one line, however wide.
# ruff: noqa: E501
# fmt: off
DOCS = {
    'An identity in t and omega (sympy), with the coefficients fit_ar finds on a clean sine.':
        't와 omega에 대한 항등식(sympy)이며, 그 계수는 잡음 없는 사인파에서 fit_ar가 찾는 계수이다.',
    'Both cases, on a gradient inside and one outside the threshold, equal ``clip_grad_norm``.':
        '문턱값 안쪽의 기울기와 바깥쪽의 기울기에서, 두 경우 모두 ``clip_grad_norm``과 같다.',
    'Both double sums equal the gradient of a loss at every step.':
        '두 이중 합 모두 모든 시점에 손실이 있을 때의 기울기와 같다.',
    "Both gates, the candidate and h_t as displayed equal ``gru_forward``'s.":
        '표시된 두 게이트, 후보 상태, h_t가 ``gru_forward``의 값과 같다.',
    'Both sides agree, and equal the pre-activation rnn_forward used (minus b).':
        '양변이 일치하며, rnn_forward가 쓴 사전 활성화(b를 뺀 값)와 같다.',
    "Both sides at every outcome of a random joint of two variables and of rnn_core's chain.":
        '두 변수의 무작위 결합 분포와 rnn_core의 마르코프 연쇄, 그 각각의 모든 결과에서 양변을 비교한다.',
    "Both sides, t > tau, for rnn_core's Markov chain (tau = 1) and a chain of order tau = 2.":
        'rnn_core의 마르코프 연쇄(tau = 1)와 차수 tau = 2의 마르코프 연쇄에서, t > tau일 때의 양변을 비교한다.',
    "Each gradient, summed from rnn_core's deltas as displayed, equals rnn_backward's.":
        'rnn_core의 델타를 표시된 대로 더한 각 기울기가 rnn_backward의 기울기와 같다.',
    "Each side is d h_N / d w_H, with Psi the chapter's polynomial in the inputs.":
        '각 변이 d h_N / d w_H와 같다. 여기서 Psi는 입력으로 이루어진, 이 장의 다항식이다.',
    "Every entry of dl_t/dy_t and dL/dy_t as displayed equal temporal_softmax_loss's gradient.":
        '표시된 dl_t/dy_t와 dL/dy_t의 모든 성분이 temporal_softmax_loss의 기울기와 같다.',
    "Every gate, the candidate, c_t and h_t as displayed equal ``lstm_forward``'s.":
        '표시된 모든 게이트, 후보 상태, c_t, h_t가 ``lstm_forward``의 값과 같다.',
    "Every index-level side equals temporal_affine_backward's dh and dW, entry by entry.":
        '첨자로 쓴 모든 변이 temporal_affine_backward의 dh, dW와 성분마다 같다.',
    'Every line of the unrolling equals the derivative of h_N (so every link holds).':
        '펼치기의 모든 줄이 h_N의 도함수와 같다(따라서 모든 연결이 성립한다).',
    "Every side at every sequence of a random (not Markov) joint and of rnn_core's chain.":
        '(마르코프가 아닌) 무작위 결합 분포와 rnn_core의 마르코프 연쇄, 그 각각의 모든 시퀀스에서 모든 변을 비교한다.',
    "PyTorch's layout, and each conversion, equal ``conventions.from_torch``.":
        'PyTorch의 레이아웃과 각 변환이 ``conventions.from_torch``와 같다.',
    "Q Lambda^t Q^T h_0 (numpy's eigh) is the recurrence h_t = W^T h_{t-1}, t = 0..8.":
        't = 0..8에서 Q Lambda^t Q^T h_0(numpy의 eigh)이 점화식 h_t = W^T h_{t-1}과 같다.',
    'S_t run from S_0 = 0 is dh_t/dw by rnn_backward, and the sum is its gradient (3 blocks).':
        'S_0 = 0에서 시작해 실행한 S_t가 rnn_backward로 구한 dh_t/dw와 같고, 그 합은 rnn_backward의 기울기와 같다(블록 3개).',
    'The closed form of h_t equals the unrolled state for t = 0..8.':
        't = 0..8에서 h_t의 닫힌 형태가 펼친 상태와 같다.',
    'The column form, with its W_x and W_h, equals ``conventions.column_step``.':
        'W_x와 W_h를 쓰는 열 형태가 ``conventions.column_step``과 같다.',
    "The displayed polynomial's roots xi_i give ar.rollout's deviations as sum_i B_i xi_i^t.":
        '표시된 다항식의 근 xi_i로 ar.rollout의 편차를 sum_i B_i xi_i^t 꼴로 나타낼 수 있다.',
    'The displayed update, run from h_1 = h0, equals ``ar.latent_states``.':
        '표시된 갱신 식을 h_1 = h0에서 시작해 실행하면 ``ar.latent_states``와 같다.',
    'The four sides are equal for n = 1..8, with Sigma(m) = sum_i w_H^(i-1) h_(m-i).':
        'n = 1..8에서 네 변이 모두 같다. 여기서 Sigma(m) = sum_i w_H^(i-1) h_(m-i)이다.',
    "The one-unit cell's dh_T/dh_{T-k} from rnn_backward, k = 1..T-1, five random cells.":
        '무작위 셀 다섯 개에서, 유닛 하나짜리 셀의 dh_T/dh_{T-k}(k = 1..T-1)를 rnn_backward로 구한 값과 비교한다.',
    'The parent of every node of a tree equals ``architectures.recursive_forward``.':
        '트리의 모든 노드에서 부모가 ``architectures.recursive_forward``의 값과 같다.',
    'The product of diag(f_t) equals ``lstm.cell_path_gradient`` (one unit, k = 0..T-1).':
        'diag(f_t)의 곱이 ``lstm.cell_path_gradient``와 같다(유닛 하나, k = 0..T-1).',
    'The product of the displayed J_t equals dh_T/dh_{T-k} from rnn_backward, k = 3..T.':
        'k = 3..T에서 표시된 J_t의 곱이 rnn_backward로 구한 dh_T/dh_{T-k}와 같다.',
    "The recursion, run back from delta_{T+1} as displayed, gives rnn_core's deltas.":
        '표시된 대로 delta_{T+1}에서 거꾸로 실행한 점화식이 rnn_core의 델타를 낸다.',
    'The recursion, run from its displayed start, gives the derivative of h_N.':
        '표시된 초깃값에서 실행한 점화식이 h_N의 도함수를 낸다.',
    'The step, run from h_0 over the displayed range, is ``symbolic.unrolled_h``.':
        '한 단계 식을 h_0에서 시작해 표시된 범위에 걸쳐 실행하면 ``symbolic.unrolled_h``가 된다.',
    "With eps_t = 0, x_t as displayed is ar.rollout; with the residuals, predict_one_step's.":
        'eps_t = 0이면 표시된 x_t는 ar.rollout과 같고, 잔차를 넣으면 predict_one_step의 값과 같다.',
    'With gradout as displayed, linear_rnn_grads gives the exact gradient of L (sympy).':
        '표시된 gradout을 주면 linear_rnn_grads가 L의 정확한 기울기를 낸다(sympy).',
    "X and y as displayed are make_windows' (with ones), and X beta is predict_one_step.":
        '표시된 X와 y는 make_windows가 만든 것(상수항 열 포함)과 같고, X beta는 predict_one_step과 같다.',
    "X^T X beta-hat = X^T y: ``ar.fit_ar``'s coefficients, ``data.make_windows``'s design.":
        'X^T X beta-hat = X^T y: ``ar.fit_ar``의 계수와 ``data.make_windows``의 설계 행렬.',
    '[softmax(y)]_v is rnn_core.softmax; L of p_t = softmax(y_t) is temporal_softmax_loss.':
        '[softmax(y)]_v는 rnn_core.softmax와 같고, p_t = softmax(y_t)로 계산한 L은 temporal_softmax_loss와 같다.',
    'delta_k: the sum, the backward recursion from delta_{N+1}, and the gradients.':
        'delta_k: 합, delta_{N+1}에서 시작하는 역방향 점화식, 그리고 기울기.',
    'dh_T/dh_(T-k) of the unrolled linear cell, T = 8, k = 0..8.':
        '펼친 선형 셀의 dh_T/dh_(T-k), T = 8, k = 0..8.',
    'dh_t/dx_s of the unrolled state, for every (t, s) the displayed condition allows.':
        '표시된 조건이 허용하는 모든 (t, s)에 대한, 펼친 상태의 dh_t/dx_s.',
    'e^L for the loss of uniform logits equals ``lm.uniform_perplexity`` (V = 7).':
        '균등한 로짓의 손실로 구한 e^L이 ``lm.uniform_perplexity``와 같다(V = 7).',
    'gradout times the sum equals dL/dw for L = gradout * h_N.':
        'gradout에 합을 곱한 값이 L = gradout * h_N의 dL/dw와 같다.',
    'h_t (and y_t) as displayed equal ``rnn_forward`` (and ``temporal_affine_forward``).':
        '표시된 h_t(그리고 y_t)가 ``rnn_forward``(그리고 ``temporal_affine_forward``)의 값과 같다.',
    "h_t = U(h_{t-1}, x_{t-1}) is ar.latent_states; x_t's state has read x_{t-1}, not x_t.":
        'h_t = U(h_{t-1}, x_{t-1})는 ar.latent_states와 같고, x_t의 상태는 x_t가 아니라 x_{t-1}까지 읽은 상태이다.',
    'r_k with the displayed mean equals ``data.autocorrelation`` for k = 0..5.':
        'k = 0..5에서 표시된 평균을 쓴 r_k가 ``data.autocorrelation``과 같다.',
    'x-hat_{s+k}, run from the true values up to x_s, equals ar.forecast_k_step for k = 1..8.':
        'x_s까지의 실제 값에서 시작해 실행한 x-hat_{s+k}가 k = 1..8에서 ar.forecast_k_step과 같다.',
    "x_t = sin(0.01 t) + eps_t, eps drawn as displayed with seed 0, is the chapter's series.":
        'eps를 표시된 대로 시드 0으로 뽑은 x_t = sin(0.01 t) + eps_t가 이 장의 계열이다.',
    '||dh_T/dh_{T-k}||_2 <= (gamma sigma_max)^k for random cells and a nearly tight one.':
        '무작위 셀들과 상한에 거의 닿는 셀 하나에서 ||dh_T/dh_{T-k}||_2 <= (gamma sigma_max)^k가 성립한다.',
}

MESSAGES = {
    '1 comparison with lm.uniform_perplexity (V = 7)':
        'lm.uniform_perplexity와 1번 비교 (V = 7)',
    "1 comparison: fit_ar's coefficients solve the displayed normal equations":
        '1번 비교: fit_ar의 계수가 표시된 정규 방정식의 해이다',
    '10 comparisons with ar.latent_states at t = 2..6':
        't = 2..6에서 ar.latent_states와 10번 비교',
    '10 comparisons with rnn_core at t = 1..5 (N = 2, D = 3, H = 4)':
        't = 1..5에서 rnn_core와 10번 비교 (N = 2, D = 3, H = 4)',
    '12 bounds hold, k = 1..4, in three cells; in one within 3e-07 of it':
        '셀 세 개에서 상한 12개가 성립한다 (k = 1..4). 그중 한 셀에서는 상한과의 차이가 3e-07 이내이다',
    '20 comparisons with from_torch and rnn_forward at t = 1..5':
        't = 1..5에서 from_torch 및 rnn_forward와 20번 비교',
    '20 comparisons with gru_forward at t = 1..5':
        't = 1..5에서 gru_forward와 20번 비교',
    '20 comparisons with rnn_backward, k = 1..4, five random cells':
        '무작위 셀 다섯 개에서 rnn_backward와 20번 비교 (k = 1..4)',
    "224 (sequence, t) pairs, and markov_conditionals' 128 for tau = 1":
        '(시퀀스, t) 쌍 224개, 그리고 tau = 1에서 markov_conditionals의 128개',
    '24 comparisons with temporal_affine_backward (H = 3, V = 4)':
        'temporal_affine_backward와 24번 비교 (H = 3, V = 4)',
    '25 comparisons with rnn_backward (T = 5, N = 2)':
        'rnn_backward와 25번 비교 (T = 5, N = 2)',
    '260 forecasts, k = 1..8, equal ar.forecast_k_step':
        '예측 260개 (k = 1..8)가 ar.forecast_k_step과 같다',
    "3 comparisons with rnn_backward's Jacobians, k = 3..5":
        'k = 3..5에서 rnn_backward의 야코비 행렬과 3번 비교',
    '30 comparisons with lstm_forward at t = 1..5':
        't = 1..5에서 lstm_forward와 30번 비교',
    '36 pairs (t, s), t = 1..8, equal the exact derivative':
        't = 1..8인 (t, s) 쌍 36개가 정확한 도함수와 같다',
    '4 comparisons with lstm.cell_path_gradient, k = 1..4':
        'k = 1..4에서 lstm.cell_path_gradient와 4번 비교',
    '5 comparisons with conventions.column_step at t = 1..5':
        't = 1..5에서 conventions.column_step과 5번 비교',
    '5 comparisons with rnn_core at t = 1..5 (N = 2, D = 3, H = 4)':
        't = 1..5에서 rnn_core와 5번 비교 (N = 2, D = 3, H = 4)',
    '6 comparisons with data.autocorrelation (T = 40, k = 0..5)':
        'data.autocorrelation과 6번 비교 (T = 40, k = 0..5)',
    '60 comparisons with temporal_softmax_loss, every t = 1..5 and v < 6':
        '모든 t = 1..5와 v < 6에서 temporal_softmax_loss와 60번 비교',
    '9 comparisons with the recurrence run by vanishing.backflow (H = 4)':
        'vanishing.backflow가 실행한 점화식과 9번 비교 (H = 4)',
    'S_t = dh_t/dw for t = 1..5, and the gradient, for W_hh, W_xh and b':
        'W_hh, W_xh, b 각각에 대해 t = 1..5에서 S_t = dh_t/dw이고, 기울기도 같다',
    'X (20 x 5), y and beta as the code builds and uses them':
        '코드가 만들고 쓰는 그대로의 X (20 x 5), y, beta',
    'all 3 internal nodes of ((0, 1), (2, 3)) equal recursive_forward':
        '((0, 1), (2, 3))의 내부 노드 3개가 모두 recursive_forward와 같다',
    'all 3 links hold for n = 1..8':
        'n = 1..8에서 연결 3개가 모두 성립한다',
    'all 3 sides at all 32 sequences (T = 5) of a random joint and of a chain':
        '무작위 결합 분포와 마르코프 연쇄 각각의 시퀀스 32개 (T = 5) 전부에서 변 3개 모두',
    'all 3 sides equal d h_N/d w_H for N = 1..8':
        'N = 1..8에서 변 3개가 모두 d h_N/d w_H와 같다',
    'all 4 sides equal d h_N/d w_H for N = 3..8':
        'N = 3..8에서 변 4개가 모두 d h_N/d w_H와 같다',
    'all 4 sides equal d h_N/d w_X for N = 3..8':
        'N = 3..8에서 변 4개가 모두 d h_N/d w_X와 같다',
    'an identity in t and omega (sympy); at omega = 0.01 fit_ar finds its coefficients':
        't와 omega에 대한 항등식 (sympy). omega = 0.01에서 fit_ar가 그 계수를 찾아낸다',
    "at all 12 outcomes of a random joint, and all 9 of markov_chain_joint's (T = 2)":
        '무작위 결합 분포의 결과 12개 전부와 markov_chain_joint의 결과 9개 전부에서 (T = 2)',
    'both cases equal optim.clip_grad_norm (2 gradients)':
        '두 경우 모두 optim.clip_grad_norm과 같다 (기울기 2개)',
    'both equal dL/dw of a loss at every step, N = 1..8':
        'N = 1..8에서 둘 다 모든 시점에 손실이 있을 때의 dL/dw와 같다',
    "both sides equal rnn_forward's pre-activation at t = 1..5 (5 comparisons)":
        't = 1..5에서 양변이 rnn_forward의 사전 활성화와 같다 (5번 비교)',
    "delta_t equals rnn_core's for t = 1..5":
        't = 1..5에서 delta_t가 rnn_core의 값과 같다',
    'equals gradout * d h_N/d w_H for N = 1..8':
        'N = 1..8에서 gradout * d h_N/d w_H와 같다',
    'equals gradout * d h_N/d w_X for N = 1..8':
        'N = 1..8에서 gradout * d h_N/d w_X와 같다',
    'equals sine_with_noise(T=1000, freq=0.01, sigma=0.2, seed=0) at all 1000 steps':
        '1000개 시점 모두에서 sine_with_noise(T=1000, freq=0.01, sigma=0.2, seed=0)와 같다',
    'equals symbolic.unrolled_h(t) for t = 0..8':
        't = 0..8에서 symbolic.unrolled_h(t)와 같다',
    'equals the exact derivative for T = 8, k = 0..8':
        'T = 8, k = 0..8에서 정확한 도함수와 같다',
    "its 4 roots reproduce the rollout's 60 deviations from its level":
        '그 근 4개가 롤아웃의 수준으로부터의 편차 60개를 재현한다',
    'linear_rnn_grads with this gradout is the exact gradient of L (N = 6)':
        '이 gradout을 준 linear_rnn_grads가 L의 정확한 기울기를 낸다 (N = 6)',
    'recursion = sum for every k, both gradients exact, N = 1..8':
        'N = 1..8에서 모든 k에 대해 점화식 = 합이고, 두 기울기 모두 정확하다',
    'run from its start, equals d h_N/d w_H for N = 1..8':
        '초깃값에서 실행하면 N = 1..8에서 d h_N/d w_H와 같다',
    'run from its start, equals d h_N/d w_X for N = 1..8':
        '초깃값에서 실행하면 N = 1..8에서 d h_N/d w_X와 같다',
    'softmax entry by entry (V = 6), and L = temporal_softmax_loss (1 compared)':
        '소프트맥스는 성분마다 같고 (V = 6), L = temporal_softmax_loss이다 (1번 비교)',
    'the step, run from h_0 for N = 1..8, is the unrolled state':
        'h_0에서 시작해 N = 1..8까지 실행한 한 단계 식이 펼친 상태와 같다',
    'the update equals ar.latent_states at t = 2..6; every state read x_(t-1) only':
        't = 2..6에서 갱신 식이 ar.latent_states와 같고, 모든 상태는 x_(t-1)까지만 읽었다',
    'with eps_t = 0 it is ar.rollout (40 steps); with the residuals, the series':
        'eps_t = 0이면 ar.rollout과 같고 (40개 시점), 잔차를 넣으면 계열과 같다',
}

# fmt: on
