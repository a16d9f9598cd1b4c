#include "ccurl_shim.h"

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, fn);
}
CURLcode ccurl_setopt_header_function(CURL *handle, size_t (*fn)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, fn);
}
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

#include <pthread.h>
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static void global_init(void) { curl_global_init(CURL_GLOBAL_ALL); }
void ccurl_global_init_once(void) { pthread_once(&global_once, global_init); }

int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result) {
    int queued = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
        if (msg->msg == CURLMSG_DONE) {
            *easy = msg->easy_handle;
            *result = msg->data.result;
            return 1;
        }
    }
    return 0;
}

#include <stdlib.h>
#ifdef __linux__
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#endif

struct ccurl_loop {
    CURLM *multi;
    int epoll_fd;          /* -1: the curl_multi_poll fallback */
    int wake_fd;
    long long deadline_ms; /* curl's timer on the monotonic clock; -1 when it has none */
};

#ifdef __linux__
static long long monotonic_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* curl says which events a connection now waits for; socketp marks one already registered. */
static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy;
    ccurl_loop *loop = userp;
    if (what == CURL_POLL_REMOVE) {
        /* The descriptor may already be closed: nothing is left to remove then. */
        epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
        curl_multi_assign(loop->multi, fd, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = fd;
    int first = socketp ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(loop->epoll_fd, first, fd, &event) != 0) {
        /* A descriptor number reused after a close the loop did not see: register it afresh. */
        int second = (errno == ENOENT) ? EPOLL_CTL_ADD : (errno == EEXIST) ? EPOLL_CTL_MOD : -1;
        if (second < 0 || epoll_ctl(loop->epoll_fd, second, fd, &event) != 0) return -1;
    }
    if (!socketp) curl_multi_assign(loop->multi, fd, loop);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    ccurl_loop *loop = userp;
    loop->deadline_ms = timeout_ms < 0 ? -1 : monotonic_ms() + timeout_ms;
    return 0;
}
#endif

ccurl_loop *ccurl_loop_create(CURLM *multi) {
    ccurl_loop *loop = calloc(1, sizeof *loop);
    if (!loop) return NULL;
    loop->multi = multi;
    loop->epoll_fd = -1;
    loop->wake_fd = -1;
    loop->deadline_ms = -1;
#ifdef __linux__
    loop->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    loop->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event wake = {0};
    wake.events = EPOLLIN;
    wake.data.fd = loop->wake_fd;
    if (loop->epoll_fd < 0 || loop->wake_fd < 0
        || epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, loop->wake_fd, &wake) != 0) {
        if (loop->epoll_fd >= 0) close(loop->epoll_fd);
        if (loop->wake_fd >= 0) close(loop->wake_fd);
        loop->epoll_fd = loop->wake_fd = -1;
        return loop;
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, loop);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, loop);
#endif
    return loop;
}

void ccurl_loop_run_once(ccurl_loop *loop, int max_wait_ms) {
    int running = 0;
    if (loop->epoll_fd < 0) {
        curl_multi_perform(loop->multi, &running);
        curl_multi_poll(loop->multi, NULL, 0, max_wait_ms, NULL);
        curl_multi_perform(loop->multi, &running);
        return;
    }
#ifdef __linux__
    int wait = max_wait_ms;
    if (loop->deadline_ms >= 0) {
        long long left = loop->deadline_ms - monotonic_ms();
        if (left < wait) wait = left < 0 ? 0 : (int)left;
    }
    struct epoll_event events[256];
    int ready = epoll_wait(loop->epoll_fd, events, 256, wait);
    for (int i = 0; i < ready; i++) {
        int fd = events[i].data.fd;
        if (fd == loop->wake_fd) {
            uint64_t count;
            while (read(fd, &count, sizeof count) > 0) {}
            continue;
        }
        uint32_t e = events[i].events;
        int mask = ((e & EPOLLIN) ? CURL_CSELECT_IN : 0) | ((e & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
                 | ((e & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(loop->multi, fd, mask, &running);
    }
    if (loop->deadline_ms >= 0 && monotonic_ms() >= loop->deadline_ms) {
        /* Cleared first: acting on the timeout may set the next one. */
        loop->deadline_ms = -1;
        curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
#endif
}

void ccurl_loop_wakeup(ccurl_loop *loop) {
    if (loop->epoll_fd < 0) {
        curl_multi_wakeup(loop->multi);
        return;
    }
#ifdef __linux__
    uint64_t one = 1;
    ssize_t written = write(loop->wake_fd, &one, sizeof one);
    (void)written; /* EAGAIN: the counter is already non-zero, a wake-up is pending anyway */
#endif
}

void ccurl_loop_destroy(ccurl_loop *loop) {
    if (!loop) return;
#ifdef __linux__
    if (loop->epoll_fd >= 0) {
        close(loop->epoll_fd);
        close(loop->wake_fd);
    }
#endif
    free(loop);
}
